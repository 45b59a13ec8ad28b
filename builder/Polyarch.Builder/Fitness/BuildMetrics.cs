using Polyarch.Builder.Builds;
using Prometheus;

namespace Polyarch.Builder.Fitness;

/// <summary>
/// Prometheus counters and a histogram, updated as builds start and finish (so <c>rate()</c> and
/// <c>histogram_quantile()</c> mean something): builds started by platform, finished by status and platform, and the
/// bake duration per platform. Nothing is recomputed from the store at scrape time.
/// </summary>
internal sealed class BuildMetrics
{
    private readonly Counter _started;
    private readonly Counter _finished;
    private readonly Histogram _bakeSeconds;

    public BuildMetrics()
        : this(Metrics.DefaultFactory)
    {
    }

    /// <summary>Metrics in <paramref name="factory"/>'s registry (tests give each their own).</summary>
    public BuildMetrics(IMetricFactory factory)
    {
        _started = factory.CreateCounter("polyarch_builder_builds_started_total", "Builds started, once per platform they build", ["platform"]);
        _finished = factory.CreateCounter("polyarch_builder_builds_finished_total", "Builds finished, once per platform they build, by final status (succeeded, failed)", ["status", "platform"]);
        _bakeSeconds = factory.CreateHistogram(
            "polyarch_builder_bake_duration_seconds",
            "How long the bake of one platform took (its steps), by platform",
            new HistogramConfiguration { LabelNames = ["platform"], Buckets = Histogram.ExponentialBuckets(1, 2, 12) });
    }

    public void Started(BuildRecord build)
    {
        foreach (var platform in build.Request.Platforms)
        {
            _started.WithLabels(platform).Inc();
        }
    }

    public void Finished(BuildRecord build, BuildStatus status, IEnumerable<PlatformTiming> timings)
    {
        var label = status.ToString().ToLowerInvariant();
        foreach (var platform in build.Request.Platforms)
        {
            _finished.WithLabels(label, platform).Inc();
        }

        foreach (var timing in timings)
        {
            _bakeSeconds.WithLabels(timing.Platform).Observe(timing.DurationMs / 1000.0);
        }
    }
}
