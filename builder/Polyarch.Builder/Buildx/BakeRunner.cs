using System.Text.Json;

namespace Polyarch.Builder.Buildx;

/// <summary>Runs <c>docker buildx bake</c> and follows its rawjson progress.</summary>
internal sealed class BakeRunner(DockerCli docker)
{
    /// <summary>
    /// Runs the bake. <paramref name="onIndexPushed"/> hears each index BuildKit reports pushed (<see cref="PushedIndex"/>),
    /// once, while the bake goes on (the cache export and, with the docker driver, the engine's own push come after it).
    /// </summary>
    public async Task<BakeOutcome> RunAsync(
        BakeInvocation invocation,
        string workingDirectory,
        Action<PlatformProgress>? onProgress,
        CancellationToken cancellationToken,
        Action<PushedIndex>? onIndexPushed = null)
    {
        var tracker = new BuildProgressTracker();
        var reader = new RawJsonReader();
        var pushed = new HashSet<PushedIndex>();
        if (File.Exists(invocation.MetadataFile))
        {
            File.Delete(invocation.MetadataFile);
        }

        var processFile = Path.Combine(Path.GetDirectoryName(invocation.MetadataFile)!, OrphanedBakes.FileName);
        var result = await docker.RunAsync(BakeArguments.Build(invocation), workingDirectory, line =>
        {
            var (document, text) = reader.Feed(line);
            if (text is not null)
            {
                tracker.AddText(text);
            }

            if (document is null)
            {
                return;
            }

            using (document)
            {
                if (onIndexPushed is not null)
                {
                    foreach (var index in PushedIndex.In(document.RootElement))
                    {
                        if (pushed.Add(index))
                        {
                            onIndexPushed(index);
                        }
                    }
                }

                foreach (var platform in tracker.Apply(document.RootElement))
                {
                    if (onProgress is not null && tracker.Snapshot(platform) is { } progress)
                    {
                        onProgress(progress);
                    }
                }
            }
        }, processFile, cancellationToken).ConfigureAwait(false);

        var digests = result.ExitCode == 0 ? await ReadMetadataAsync(invocation.MetadataFile, cancellationToken).ConfigureAwait(false) : new Dictionary<string, string>();
        return new BakeOutcome(result.ExitCode, digests, tracker.Snapshot(), tracker.Logs(), result.ExitCode == 0 ? null : tracker.Failure());
    }

    /// <summary>Each target's <c>containerimage.digest</c> from bake's metadata file.</summary>
    internal static async Task<IReadOnlyDictionary<string, string>> ReadMetadataAsync(string file, CancellationToken cancellationToken)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(file))
        {
            return digests;
        }

        await using var stream = File.OpenRead(file);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var target in document.RootElement.EnumerateObject())
        {
            if (target.Value.ValueKind == JsonValueKind.Object && target.Value.TryGetProperty("containerimage.digest", out var digest) && digest.GetString() is { } value)
            {
                digests[target.Name] = value;
            }
        }

        return digests;
    }
}
