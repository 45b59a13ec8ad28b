using Polyarch.Builder.Builds;
using Polyarch.Builder.Fitness;
using Prometheus;

namespace Polyarch.Builder.Tests.Fitness;

/// <summary>Issue 19 item 1: builds are counted as they start and finish (counters, a histogram), never recomputed from the store at a scrape.</summary>
public sealed class BuildMetricsTests
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();

    [Fact]
    public async Task Started_And_Finished_AreCountedPerPlatform_ByStatus_WithTheBakeDurationInAHistogram()
    {
        var metrics = new BuildMetrics(Metrics.WithCustomRegistry(_registry));
        var build = Build("linux/amd64", "linux/arm64");

        metrics.Started(build);
        metrics.Started(build);
        metrics.Finished(build, BuildStatus.Succeeded, [new PlatformTiming("linux/amd64", 3_000, 4, false), new PlatformTiming("linux/arm64", 40_000, 4, false)]);
        metrics.Finished(build, BuildStatus.Failed, [new PlatformTiming("linux/amd64", 1_500, 2, true)]);

        var text = await ScrapeAsync();
        text.ShouldContain("polyarch_builder_builds_started_total{platform=\"linux/amd64\"} 2");
        text.ShouldContain("polyarch_builder_builds_started_total{platform=\"linux/arm64\"} 2");
        text.ShouldContain("polyarch_builder_builds_finished_total{status=\"succeeded\",platform=\"linux/arm64\"} 1");
        text.ShouldContain("polyarch_builder_builds_finished_total{status=\"failed\",platform=\"linux/amd64\"} 1");
        text.ShouldContain("# TYPE polyarch_builder_bake_duration_seconds histogram");
        text.ShouldContain("polyarch_builder_bake_duration_seconds_count{platform=\"linux/amd64\"} 2");
        text.ShouldContain("polyarch_builder_bake_duration_seconds_sum{platform=\"linux/amd64\"} 4.5");
        text.ShouldContain("polyarch_builder_bake_duration_seconds_bucket{platform=\"linux/arm64\",le=\"32\"} 0");
        text.ShouldContain("polyarch_builder_bake_duration_seconds_bucket{platform=\"linux/arm64\",le=\"64\"} 1");
        text.ShouldNotContain("newest 1000");
    }

    private static BuildRecord Build(params string[] platforms) => new(
        "b1",
        new BuildRequest("/src/echo", "127.0.0.1:5000", "demo/echo", new string('a', 40), "main", true, platforms, "test"),
        BuildStatus.Running,
        DateTimeOffset.UnixEpoch,
        DateTimeOffset.UnixEpoch,
        null,
        1,
        null,
        null,
        [],
        [],
        [],
        null);

    private async Task<string> ScrapeAsync()
    {
        using var stream = new MemoryStream();
        await _registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
