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
