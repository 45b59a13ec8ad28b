namespace Polyarch.Builder.Buildx;

/// <summary>How one bake run ended: exit code, each target's pushed index digest, and what the stream said.</summary>
public sealed record BakeOutcome(
    int ExitCode,
    IReadOnlyDictionary<string, string> TargetDigests,
    IReadOnlyList<PlatformProgress> Platforms,
    IReadOnlyDictionary<string, string> Logs,
    BuildFailure? Failure)
{
    /// <summary>Whether the failure looks like the registry's transient HTTP 500 during the engine's push.</summary>
    public bool IsTransientRegistryError =>
        ExitCode != 0 && Failure is { } failure &&
        (Contains(failure, "500 Internal Server Error") || Contains(failure, "invalid checksum digest format") ||
         Contains(failure, "unexpected status: 50") || Contains(failure, "unexpected status from HEAD request") && Contains(failure, "50"));

    private static bool Contains(BuildFailure failure, string text) =>
        failure.Error.Contains(text, StringComparison.OrdinalIgnoreCase) || failure.LogTail.Contains(text, StringComparison.OrdinalIgnoreCase);
}
