using System.Collections.Concurrent;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// Makes sure repository@childDigest is in the engine for its platform; remembers what it has seen. Pulls send the
/// credentials the registry client uses for the same registry (Registry:Credentials, credHelpers, credsStore, auths).
/// </summary>
internal sealed class DockerImagePuller(DockerClientProvider docker, IRegistryCredentials credentials)
{
    // Docker Hub's server address in the engine's AuthConfig (docker/cli registry.IndexServer).
    private const string DockerHubServer = "https://index.docker.io/v1/";

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

        var registry = ImageReference.Parse(reference).Registry;
        AuthConfig auth;
        try
        {
            auth = ToAuthConfig(registry, await credentials.FindAsync(registry, cancellationToken));
        }
        catch (RegistryException exception)
        {
            throw new ImagePullException(reference, platform, "its registry credentials could not be read", exception.Message, exception);
        }

        string? error = null;
        var progress = new Progress<JSONMessage>(m =>
        {
            if (m.Error is not null)
            {
                error = m.Error.Message;
            }
        });
        var sentCredentials = auth.Username is not null || auth.IdentityToken is not null;
        try
        {
            await docker.Client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = repository, Tag = digest, Platform = platform },
                auth,
                progress,
                cancellationToken);
        }
        catch (DockerApiException exception)
        {
            // The engine answers an error status (not a progress message) when the registry fails before the pull starts.
            var detail = EngineMessage(exception.ResponseBody) ?? exception.Message;
            throw new ImagePullException(reference, platform, detail, EnginePullAdvice.For(registry, detail, sentCredentials), exception);
        }

        // Progress callbacks run asynchronously; the inspect below is the real check.
        try
        {
            await docker.Client.Images.InspectImageAsync(reference, cancellationToken);
        }
        catch (DockerApiException exception)
        {
            var detail = error ?? exception.Message;
            throw new ImagePullException(reference, platform, detail, EnginePullAdvice.For(registry, detail, sentCredentials), exception);
        }
    }

    // The engine's error body is {"message": "..."}.
    private static string? EngineMessage(string? body)
    {
        try
        {
            using var json = JsonDocument.Parse(body ?? string.Empty);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return string.IsNullOrWhiteSpace(body) ? null : body.Trim();
        }
    }

    private static AuthConfig ToAuthConfig(string registry, RegistryCredential? credential)
    {
        var server = registry == ImageReference.DockerHub ? DockerHubServer : registry;
        return credential switch
        {
            null => new AuthConfig(),
            { IdentityToken: { Length: > 0 } token } => new AuthConfig { ServerAddress = server, IdentityToken = token },
            _ => new AuthConfig { ServerAddress = server, Username = credential.Username, Password = credential.Password },
        };
    }
}
