using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class BakeOutcomeTests
{
    [Theory]
    // Seen on this host: distribution 2.8.2 answering a HEAD with 500 during the engine's second push.
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/manifests/sha256:ab: 500 Internal Server Error", true)]
    [InlineData("failed commit on ref \"index-sha256:ab\": invalid checksum digest format", true)]
    [InlineData("failed to push: unexpected status: 503 Service Unavailable", true)]
    [InlineData("process \"/bin/sh -c make\" did not complete successfully: exit code: 2", false)]
    [InlineData("failed to push: unexpected status: 401 Unauthorized", false)]
    [InlineData("failed to solve: 127.0.0.1:5000/nope: not found", false)]
    public void Transient_registry_errors_are_retried_and_build_errors_are_not(string error, bool transient)
    {
        var outcome = new BakeOutcome(1, new Dictionary<string, string>(), [], new Dictionary<string, string>(), new BuildFailure(null, "pushing", error, ""));

        outcome.IsTransientRegistryError.ShouldBe(transient);
    }

    [Fact]
    public void A_successful_bake_is_never_transient() =>
        new BakeOutcome(0, new Dictionary<string, string>(), [], new Dictionary<string, string>(), null).IsTransientRegistryError.ShouldBeFalse();
}
