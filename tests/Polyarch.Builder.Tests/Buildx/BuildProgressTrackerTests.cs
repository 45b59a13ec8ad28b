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
}
