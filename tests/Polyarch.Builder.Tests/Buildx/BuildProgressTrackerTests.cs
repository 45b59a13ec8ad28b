using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class BuildProgressTrackerTests
{
    private static BuildProgressTracker Replay(string fixture)
    {
        var tracker = new BuildProgressTracker();
        var reader = new RawJsonReader();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "rawjson", fixture)))
        {
            var (document, text) = reader.Feed(line);
            if (text is not null)
            {
                tracker.AddText(text);
            }

            using (document)
            {
                if (document is not null)
                {
                    tracker.Apply(document.RootElement);
                }
            }
        }

        return tracker;
    }

    [Fact]
    public void A_successful_three_platform_build_completes_every_platform()
    {
        var tracker = Replay("three-platform-success.rawjson");

        var platforms = tracker.Snapshot();

        platforms.Select(p => p.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        platforms.ShouldAllBe(p => p.Done == p.Total && p.Total >= 2 && !p.Failed && p.Current == null);
        tracker.Failure().ShouldBeNull();
        tracker.Logs().Keys.ShouldBe(["", "linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        tracker.Logs()[""].ShouldContain("exporting to image");
    }

    [Fact]
    public void A_failing_step_names_its_platform_step_and_output()
    {
        var tracker = Replay("arm64-step-fails.rawjson");

        var failure = tracker.Failure();

        failure.ShouldNotBeNull();
        failure.Platform.ShouldBe("linux/arm64");
        failure.Step.ShouldStartWith("[linux/arm64 2/2] RUN");
        failure.Error.ShouldContain("exit code: 3");
        failure.LogTail.ShouldContain("arm64 is not supported by this step");
        tracker.Snapshot().Single(p => p.Platform == "linux/arm64").Failed.ShouldBeTrue();
        tracker.Logs()["linux/amd64"].ShouldContain("building on x86_64");
    }

    [Fact]
    public void A_missing_build_cache_is_not_the_failure_also_for_one_of_several_bake_targets()
    {
        var tracker = new BuildProgressTracker();
        foreach (var json in new[]
        {
            // What BuildKit reports for a first build: the :buildcache tag does not exist yet (it builds without it).
            """{"vertexes":[{"digest":"sha256:01","name":"[api] importing cache manifest from 127.0.0.1:5000/demo/app/api:buildcache","started":"2026-11-26T21:00:00Z","completed":"2026-11-26T21:00:01Z","error":"failed to configure registry cache importer: 127.0.0.1:5000/demo/app/api:buildcache: not found"}]}""",
            """{"vertexes":[{"digest":"sha256:02","name":"importing cache manifest from 127.0.0.1:5000/demo/app/web:buildcache","started":"2026-11-26T21:00:00Z","completed":"2026-11-26T21:00:01Z","error":"failed to configure registry cache importer: not found"}]}""",
            """{"vertexes":[{"digest":"sha256:03","name":"[web] exporting to image","started":"2026-11-26T21:00:02Z","completed":"2026-11-26T21:00:03Z","error":"failed to push 127.0.0.1:5000/demo/app/web:x: unexpected status: 500 Internal Server Error"}]}""",
        })
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            tracker.Apply(document.RootElement);
        }

        var failure = tracker.Failure();

        failure.ShouldNotBeNull();
        failure.Step.ShouldBe("[web] exporting to image");
        failure.Error.ShouldContain("500 Internal Server Error");
    }

    [Theory]
    [InlineData("[api] importing cache manifest from r/a:buildcache", true)]
    [InlineData("importing cache manifest from r/a:buildcache", true)]
    [InlineData("[linux/arm64 2/2] RUN importing cache manifest", false)]
    [InlineData("exporting cache to registry", false)]
    public void IsCacheImport_sees_through_a_bake_target_prefix(string name, bool expected) =>
        BuildProgressTracker.IsCacheImport(name).ShouldBe(expected);

    [Theory]
    [InlineData("[linux/arm64 2/3] RUN make", "linux/arm64")]
    [InlineData("[linux/amd64 build 1/2] FROM x", "linux/amd64")]
    [InlineData("[linux/ppc64le internal] load metadata for x", "linux/ppc64le")]
    [InlineData("[linux/arm/v7 1/1] FROM x", "linux/arm/v7")]
    [InlineData("[internal] load build definition from Dockerfile", null)]
    [InlineData("exporting to image", null)]
    [InlineData("[stage-1 2/2] COPY . .", null)]
    public void PlatformOf_reads_the_step_prefix(string name, string? expected) =>
        BuildProgressTracker.PlatformOf(name).ShouldBe(expected);

    [Fact]
    public void A_cache_export_that_fails_after_the_image_was_pushed_is_reported_as_the_cache_export()
    {
        var tracker = Replay("cache-export-fails.rawjson");

        var failure = tracker.Failure().ShouldNotBeNull();

        failure.Step.ShouldBe("exporting cache to registry");
        failure.Error.ShouldContain("manifests/buildcache: 503 Service Unavailable");
        new BakeOutcome(1, new Dictionary<string, string>(), tracker.Snapshot(), tracker.Logs(), failure).IsCacheExportFailure.ShouldBeTrue();
        tracker.Snapshot().ShouldAllBe(p => !p.Failed);
    }
}
