using System.Diagnostics;
using System.Globalization;
using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Builds;

/// <summary>What one execution of a build collects: retries, per-platform timings and logs.</summary>
internal sealed class BuildRun(BuildRecord build)
{
    public BuildRecord Build { get; } = build;

    public List<string> Retries { get; } = [];

    public List<string> Warnings { get; } = [];

    public List<PlatformTiming> Timings { get; private set; } = [];

    public Dictionary<string, string> Logs { get; } = new(StringComparer.Ordinal);

    /// <summary>The staging tags this run pushed and verified, removed once its record is final.</summary>
    public List<StagingTag> StagingTags { get; } = [];

    /// <summary>How long each phase took, in order (checkout, definition, bake, verify, annotate, tag, …).</summary>
    public List<(string Phase, TimeSpan Took)> Phases { get; } = [];

    private long _phaseStarted = Stopwatch.GetTimestamp();

    /// <summary>Ends the phase that began at the previous call (or when the run began).</summary>
    public void EndPhase(string phase)
    {
        var now = Stopwatch.GetTimestamp();
        Phases.Add((phase, Stopwatch.GetElapsedTime(_phaseStarted, now)));
        _phaseStarted = now;
    }

    /// <summary>"checkout 41 ms, bake 1,213 ms, …": what the log line of a finished build says.</summary>
    public string DescribePhases() =>
        string.Join(", ", Phases.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Phase} {p.Took.TotalMilliseconds:0} ms")));

    /// <summary>Keeps the latest bake attempt's timings and logs (earlier attempts are summarised in <see cref="Retries"/>).</summary>
    public void Record(BakeOutcome outcome)
    {
        Logs.Clear();
        foreach (var (platform, text) in outcome.Logs)
        {
            Logs[platform] = text;
        }

        Timings = [.. outcome.Platforms.Select(p => new PlatformTiming(p.Platform, (long)p.Duration.TotalMilliseconds, p.Total, p.Failed))];
    }
}
