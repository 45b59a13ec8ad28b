using Polyarch.Builder.Records;
using Prometheus;

namespace Polyarch.Builder.Fitness;

/// <summary>Prometheus gauges read from the build store at each scrape: builds by status (queued = queue depth) and per-platform steps.</summary>
internal sealed class BuildMetrics(IBuildStore store)
{
    private static readonly Gauge Builds = Metrics.CreateGauge("polyarch_builder_builds", "Builds among the newest 1000 by status (queued is the queue depth)", "status");
    private static readonly Gauge PlatformBuilds = Metrics.CreateGauge("polyarch_builder_platform_builds", "Platform builds among the newest 1000 by platform and result", "platform", "result");
    private static readonly Gauge PlatformSeconds = Metrics.CreateGauge("polyarch_builder_platform_build_seconds_total", "Total build time per platform among the newest 1000 builds", "platform");

    public async Task CollectAsync(CancellationToken cancellationToken)
    {
        var builds = await store.ListAsync(1000, cancellationToken);
        foreach (var status in Enum.GetValues<Builds.BuildStatus>())
        {
            Builds.WithLabels(status.ToString().ToLowerInvariant()).Set(builds.Count(b => b.Status == status));
        }

        foreach (var group in builds.SelectMany(b => b.Timings).GroupBy(t => t.Platform, StringComparer.Ordinal))
        {
            PlatformBuilds.WithLabels(group.Key, "succeeded").Set(group.Count(t => !t.Failed));
            PlatformBuilds.WithLabels(group.Key, "failed").Set(group.Count(t => t.Failed));
            PlatformSeconds.WithLabels(group.Key).Set(group.Sum(t => t.DurationMs) / 1000.0);
        }
    }
}
