using System.Text.RegularExpressions;

namespace Polyarch.Builder.Buildx;

/// <summary>How one bake run ended: exit code, each target's pushed index digest, and what the stream said.</summary>
public sealed partial record BakeOutcome(
    int ExitCode,
    IReadOnlyDictionary<string, string> TargetDigests,
    IReadOnlyList<PlatformProgress> Platforms,
    IReadOnlyDictionary<string, string> Logs,
    BuildFailure? Failure)
{
    /// <summary>
    /// Whether the bake failed on a transient registry or connection error while pushing or pulling (a 5xx or
    /// 429 answer, a refused, reset or timed-out connection) — worth trying again — rather than on the build itself.
    /// </summary>
    /// <remarks>
    /// The texts are containerd's and BuildKit's (e.g. <c>unexpected status from PUT request to …: 503 Service Unavailable</c>,
    /// <c>dial tcp …: connect: connection refused</c>, <c>read: connection reset by peer</c>), seen on this host; distribution
    /// 2.8.2's transient HEAD 500 during the engine's second push shows as <c>invalid checksum digest format</c>.
    /// A step of the build that fails (<c>did not complete successfully</c>) is never transient, whatever it printed:
    /// a <c>RUN curl</c> that met a refused connection is the Dockerfile's business.
    /// </remarks>
    public bool IsTransientRegistryError =>
        ExitCode != 0 && Failure is { } failure &&
        !failure.Error.Contains("did not complete successfully", StringComparison.Ordinal) &&
        (TransientPattern().IsMatch(failure.Error) || failure.Platform is null && TransientPattern().IsMatch(failure.LogTail));

    /// <summary>
    /// Whether the transient error is distribution 2.8's answer to a HEAD of a manifest the engine is writing at that moment:
    /// 500, logged by the registry as <c>invalid checksum digest format</c> — the read raced the tag link's write (seen here
    /// in about one bake in seven). Nothing is overloaded, so it is tried again at once rather than after the back-off.
    /// </summary>
    public bool IsManifestWriteRace =>
        IsTransientRegistryError && Failure is { } failure && WriteRacePattern().IsMatch(failure.Error);

    /// <summary>Whether the step that failed is the export of the build cache (which runs after the image was exported and pushed).</summary>
    public bool IsCacheExportFailure =>
        ExitCode != 0 && Failure is { } failure && BuildProgressTracker.IsCacheExport(failure.Step);

    [GeneratedRegex(
        @"\b(?:5(?:00|02|03|04)|429)\s+(?:Internal Server Error|Bad Gateway|Service Unavailable|Gateway Time-?out|Too Many Requests)\b" +
        @"|unexpected status(?: from \w+ request to \S+)?: (?:5\d\d|429)\b" +
        @"|invalid checksum digest format" +
        @"|connection refused|connection reset by peer|broken pipe|i/o timeout|TLS handshake timeout|context deadline exceeded" +
        @"|no route to host|network is unreachable|temporary failure in name resolution|server misbehaving" +
        @"|unexpected EOF|failed to do request: [^\n]*: EOF\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TransientPattern();

    [GeneratedRegex(@"unexpected status from HEAD request to \S+/manifests/\S+: 500\b|invalid checksum digest format", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex WriteRacePattern();
}
