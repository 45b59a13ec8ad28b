using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class BakeOutcomeTests
{
    private static BakeOutcome Failed(string error, string? platform = null, string step = "exporting to image", string logTail = "") =>
        new(1, new Dictionary<string, string>(), [], new Dictionary<string, string>(), new BuildFailure(platform, step, error, logTail));

    [Theory]
    // Seen on this host: distribution 2.8.2 answering a HEAD with 500 during the engine's second push.
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/manifests/sha256:ab: 500 Internal Server Error")]
    [InlineData("failed commit on ref \"index-sha256:ab\": invalid checksum digest format")]
    // Captured on this host with buildx 0.13.1 pushing through a proxy that answered 503 to manifest PUTs, refused, or reset.
    [InlineData("failed to push 127.0.0.1:5703/sb/test:stage: failed commit on ref \"manifest-sha256:ba242b452afeea209a1e0f59b62e650da651832dc6cec80ad5fca126dad16b0b\": unexpected status from PUT request to http://127.0.0.1:5703/v2/sb/test/manifests/sha256:ba242b452afeea209a1e0f59b62e650da651832dc6cec80ad5fca126dad16b0b: 503 Service Unavailable")]
    [InlineData("failed to push 127.0.0.1:5702/sb/test:stage: failed to do request: Head \"https://127.0.0.1:5702/v2/sb/test/blobs/sha256:ffa35b9d5572ee0c202b2fdcef0b692b797fd506b75f5eb23320c6efdfcb413e\": dial tcp 127.0.0.1:5702: connect: connection refused")]
    [InlineData("failed to push 127.0.0.1:5704/sb/test:stage: failed to do request: Post \"https://127.0.0.1:5704/v2/sb/test/blobs/uploads/\": read tcp 127.0.0.1:40056->127.0.0.1:5704: read: connection reset by peer")]
    [InlineData("error writing manifest blob: failed commit on ref \"sha256:6808fd058dae1c0a9e8957125f7218ebbf2226689bf243438ff0ae8922823530\": unexpected status from PUT request to http://127.0.0.1:5705/v2/sb/cache/manifests/buildcache: 503 Service Unavailable")]
    [InlineData("failed to push 127.0.0.1:5701/sb/test:stage: failed to do request: Head \"https://127.0.0.1:5701/v2/sb/test/blobs/sha256:31e1ce4407cb6c45416dd6baa986106750ff1b81da95078ff5c61c54968c7b20\": EOF")]
    // The same containerd format with the other gateway answers and timeouts.
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from PUT request to http://127.0.0.1:5000/v2/demo/echo/blobs/uploads/x: 502 Bad Gateway")]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/manifests/latest: 504 Gateway Timeout")]
    [InlineData("failed to push: unexpected status: 503 Service Unavailable")]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: failed to do request: Put \"http://127.0.0.1:5000/v2/demo/echo/blobs/uploads/x\": dial tcp 127.0.0.1:5000: i/o timeout")]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: failed to copy: context deadline exceeded")]
    [InlineData("127.0.0.1:5000/polyarch/busybox:latest: failed to resolve source metadata for 127.0.0.1:5000/polyarch/busybox:latest: failed to do request: Head \"http://127.0.0.1:5000/v2/polyarch/busybox/manifests/latest\": dial tcp 127.0.0.1:5000: connect: connection refused")]
    public void Transient_registry_and_connection_errors_are_retried(string error) =>
        Failed(error).IsTransientRegistryError.ShouldBeTrue();

    [Theory]
    [InlineData("process \"/bin/sh -c make\" did not complete successfully: exit code: 2", "linux/arm64")]
    // A RUN step that met a refused connection failed the Dockerfile, not the push.
    [InlineData("process \"/bin/sh -c curl http://10.0.0.1/\" did not complete successfully: exit code: 7", "linux/amd64", "curl: (7) Failed to connect to 10.0.0.1 port 80: Connection refused")]
    [InlineData("failed to push: unexpected status: 401 Unauthorized", null)]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from PUT request to http://127.0.0.1:5000/v2/demo/echo/manifests/x: 403 Forbidden", null)]
    [InlineData("failed to solve: 127.0.0.1:5000/nope: not found", null)]
    [InlineData("failed to solve: failed to read dockerfile: open Dockerfile: no such file or directory", null)]
    public void Build_errors_are_not_retried(string error, string? platform, string logTail = "") =>
        Failed(error, platform, platform is null ? "exporting to image" : $"[{platform} 2/2] RUN x", logTail).IsTransientRegistryError.ShouldBeFalse();

    [Theory]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/manifests/polyarch-build-1d4c: 500 Internal Server Error", true)]
    [InlineData("failed commit on ref \"index-sha256:ab\": invalid checksum digest format", true)]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/manifests/latest: 504 Gateway Timeout", false)]
    [InlineData("failed to push 127.0.0.1:5000/demo/echo:x: unexpected status from HEAD request to http://127.0.0.1:5000/v2/demo/echo/blobs/sha256:ab: 500 Internal Server Error", false)]
    [InlineData("failed to push: unexpected status: 503 Service Unavailable", false)]
    [InlineData("failed to push 127.0.0.1:5000/x:y: dial tcp 127.0.0.1:5000: connect: connection refused", false)]
    public void Distributions_manifest_write_race_is_told_apart_from_an_unwell_registry(string error, bool race) =>
        Failed(error).IsManifestWriteRace.ShouldBe(race);

    [Fact]
    public void A_successful_bake_is_never_transient() =>
        new BakeOutcome(0, new Dictionary<string, string>(), [], new Dictionary<string, string>(), null).IsTransientRegistryError.ShouldBeFalse();

    [Theory]
    [InlineData("exporting cache to registry", true)]
    [InlineData("[api] exporting cache to registry", true)]
    [InlineData("exporting to image", false)]
    [InlineData("[linux/arm64 2/2] RUN make", false)]
    public void A_failed_cache_export_is_told_apart(string step, bool cacheExport) =>
        Failed("unexpected status: 503 Service Unavailable", step: step).IsCacheExportFailure.ShouldBe(cacheExport);
}
