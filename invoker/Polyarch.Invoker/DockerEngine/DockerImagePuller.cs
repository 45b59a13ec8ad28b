using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>Makes sure repository@childDigest is in the engine for its platform; remembers what it has seen.</summary>
internal sealed class DockerImagePuller(DockerClientProvider docker)
{
    private readonly ConcurrentDictionary<string, Lazy<Task>> _present = new(StringComparer.Ordinal);

    public Task EnsureAsync(string repository, string digest, string platform, CancellationToken cancellationToken)
    {
        var key = $"{repository}@{digest} {platform}";
        var lazy = _present.GetOrAdd(key, _ => new Lazy<Task>(() => PullAsync(repository, digest, platform, CancellationToken.None)));
        return WaitAsync(key, lazy, cancellationToken);
    }

    private async Task WaitAsync(string key, Lazy<Task> lazy, CancellationToken cancellationToken)
    {
        try
        {
            await lazy.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (lazy.Value.IsFaulted)
        {
            _present.TryRemove(new KeyValuePair<string, Lazy<Task>>(key, lazy));
            throw;
        }
    }

    private async Task PullAsync(string repository, string digest, string platform, CancellationToken cancellationToken)
    {
        var reference = $"{repository}@{digest}";
        try
        {
            await docker.Client.Images.InspectImageAsync(reference, cancellationToken);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }
        catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }

        string? error = null;
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error is not null)
            {
                error = m.Error.Message;
            }
        });
        await docker.Client.Images.CreateImageAsync(
            new ImagesCreateParameters { FromImage = repository, Tag = digest, Platform = platform },
            new AuthConfig(),
            progress,
            cancellationToken);

        // Progress callbacks run asynchronously; the inspect below is the real check.
        try
        {
            await docker.Client.Images.InspectImageAsync(reference, cancellationToken);
        }
        catch (DockerApiException exception)
        {
            throw new ImagePullException(reference, platform, error ?? exception.Message, exception);
        }
    }
}
