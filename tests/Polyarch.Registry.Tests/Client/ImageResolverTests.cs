using Microsoft.Extensions.Time.Testing;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Client;

public sealed class ImageResolverTests
{
    private static readonly ImageReference Echo = ImageReference.Parse("127.0.0.1:5000/demo/echo:v2");

    [Fact]
    public async Task ResolveAsync_BuildxIndex_ListsTheThreeRunnableVariants()
    {
        using var host = BuildxImage(out var indexDigest);

        var resolved = await host.Resolver.ResolveAsync(Echo);

        resolved.Digest.ShouldBe(indexDigest);
        resolved.MediaType.ShouldBe(MediaTypes.OciIndex);
        resolved.Variants.Select(v => v.Platform.ToString()).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
    }

    [Fact]
    public async Task ResolvePlatformAsync_Aarch64_PicksTheArm64VariantWithItsConfig()
    {
        using var host = BuildxImage(out var indexDigest);

        var image = await host.Resolver.ResolvePlatformAsync(Echo, Platform.Linux("aarch64"));

        image.IndexDigest.ShouldBe(indexDigest);
        image.Variant.Digest.ToString().ShouldBe("sha256:1ad7c0b9d7489fc49b5d567c54cbbb06e77048d3a013dfbf92a49c8805a48bdf");
        image.Config.Architecture.ShouldBe("arm64");
        image.Manifest.Layers.Count.ShouldBe(2);
        image.Pinned.ToString().ShouldEndWith("@sha256:1ad7c0b9d7489fc49b5d567c54cbbb06e77048d3a013dfbf92a49c8805a48bdf");
        // index, child manifest, config.
        host.Handler.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task ResolvePlatformAsync_NoVariant_NamesRequestedAndAvailable()
    {
        using var host = BuildxImage(out _);

        var exception = await Should.ThrowAsync<NoMatchingPlatformException>(() => host.Resolver.ResolvePlatformAsync(Echo, Platform.Parse("linux/s390x")));

        exception.Message.ShouldBe(
            "Image 127.0.0.1:5000/demo/echo:v2 has no variant for linux/s390x (it has linux/amd64, linux/arm64, linux/ppc64le). " +
            "Build it with --platform linux/s390x or run it on one of those.");
    }

    [Fact]
    public async Task ResolveAsync_SingleManifest_TakesThePlatformFromTheConfig()
    {
        using var host = new RegistryTestHost();
        host.Handler.AddManifest("demo/one", "v1", FixturePaths.Manifest("docker-v2-image-ppc64le-manifest.json"), MediaTypes.DockerManifest);
        host.Handler.AddBlob("demo/one", FixturePaths.Manifest("docker-v2-image-ppc64le-config.json"));
        var one = ImageReference.Parse("127.0.0.1:5000/demo/one:v1");

        var resolved = await host.Resolver.ResolveAsync(one);
        var image = await host.Resolver.ResolvePlatformAsync(one, Platform.Linux("ppc64el"));

        resolved.Variants.ShouldHaveSingleItem().Platform.ShouldBe(Platform.Linux("ppc64le"));
        image.IndexDigest.ShouldBeNull();
        await Should.ThrowAsync<NoMatchingPlatformException>(() => host.Resolver.ResolvePlatformAsync(one, Platform.Linux("amd64")));
    }

    [Fact]
    public async Task ResolveAsync_UnknownTag_ThrowsManifestNotFound()
    {
        using var host = new RegistryTestHost();

        var exception = await Should.ThrowAsync<ManifestNotFoundException>(() => host.Resolver.ResolveAsync(Echo));

        exception.Message.ShouldContain("127.0.0.1:5000/demo/echo:v2");
    }

    [Fact]
    public async Task Resolve_CostsOneRequestCold_NoneWhileFresh_OneConditionalWhenStale_NoneWhenPinned()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var host = BuildxImage(out var indexDigest, time);

        await host.Resolver.ResolveAsync(Echo);
        var cold = host.Handler.Requests.Count;
        await host.Resolver.ResolveAsync(Echo);
        var fresh = host.Handler.Requests.Count - cold;
        time.Advance(TimeSpan.FromMinutes(3));
        await host.Resolver.ResolveAsync(Echo);
        var stale = host.Handler.Requests.Count - cold - fresh;
        var conditional = host.Handler.Requests.Last();
        await host.Resolver.ResolveAsync(Echo.WithDigest(indexDigest));
        var pinned = host.Handler.Requests.Count - cold - fresh - stale;

        (cold, fresh, stale, pinned).ShouldBe((1, 0, 1, 0));
        conditional.IfNoneMatch.ShouldBe($"\"{indexDigest}\"");
    }

    [Fact]
    public async Task Resolve_TagMovedAfterTheCacheExpired_SeesTheNewDigest()
    {
        var time = new FakeTimeProvider();
        using var host = BuildxImage(out _, time);
        await host.Resolver.ResolveAsync(Echo);
        var moved = host.Handler.AddManifest("demo/echo", "v2", FixturePaths.Manifest("docker-manifest-create-list.json"), MediaTypes.DockerManifestList);

        time.Advance(TimeSpan.FromMinutes(1));
        var beforeExpiry = await host.Resolver.ResolveAsync(Echo);
        time.Advance(TimeSpan.FromMinutes(2));
        var afterExpiry = await host.Resolver.ResolveAsync(Echo);

        beforeExpiry.Digest.ShouldNotBe(moved);
        afterExpiry.Digest.ShouldBe(moved);
        afterExpiry.MediaType.ShouldBe(MediaTypes.DockerManifestList);
    }

    private static RegistryTestHost BuildxImage(out Digest indexDigest, TimeProvider? time = null)
    {
        var host = new RegistryTestHost(timeProvider: time);
        indexDigest = host.Handler.AddManifest("demo/echo", "v2", FixturePaths.Manifest("buildx-oci-index-with-attestations.json"), MediaTypes.OciIndex);
        foreach (var arch in new[] { "amd64", "arm64", "ppc64le" })
        {
            host.Handler.AddManifest("demo/echo", null, FixturePaths.Manifest($"buildx-oci-image-{arch}-manifest.json"), MediaTypes.OciManifest);
            host.Handler.AddBlob("demo/echo", FixturePaths.Manifest($"buildx-oci-image-{arch}-config.json"));
        }

        return host;
    }
}
