namespace Polyarch.Builder.Buildx;

/// <summary>
/// Removes a build's staging images from the Docker engine once the build is over. buildx's docker driver pushes from the
/// engine's own image store, so every bake leaves <c>registry/repository:polyarch-build-&lt;id&gt;</c> there — a service
/// building for months would fill the engine's disk with images nobody runs (the verified index lives in the registry),
/// and every `docker images` grows slower with them. Only the staging names are removed (`docker image rm`, never
/// forced): an image also tagged by someone else keeps that tag, and layers stay in BuildKit's cache. A driver that does
/// not store images (docker-container, remote) has none to remove: that answer is no failure.
/// </summary>
internal sealed partial class EngineStagingImages(DockerCli docker, ILogger<EngineStagingImages> logger)
{
    /// <summary>Best effort, never failing the build; returns whether every name is gone from the engine.</summary>
    public async Task<bool> RemoveAsync(IReadOnlyCollection<string> references, string workingDirectory, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return true;
        }

        try
        {
            var result = await docker.RunAsync(["image", "rm", .. references], workingDirectory, onStandardErrorLine: null, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return true;
            }

            Log.NotRemoved(logger, references, result.StandardErrorTail);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false; // Shutting down: the next build is unaffected.
        }
        catch (Errors.DependencyUnavailableException exception)
        {
            Log.NotRemoved(logger, references, exception.Message);
            return false;
        }
    }

    private static partial class Log
    {
        // Debug: a driver without an image store answers "No such image" for every build.
        [LoggerMessage(EventId = 340, Level = LogLevel.Debug, Message = "The engine kept staging images {References}: {Reason}")]
        public static partial void NotRemoved(ILogger logger, IEnumerable<string> references, string reason);
    }
}
