using System.Text;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>Reading what the real buildx pushed to a real distribution registry.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BuildxImageTests(RegistryFixture fixture)
{
    [Fact]
    public async Task Resolve_BuildxIndex_SeesWhatSkopeoAndImagetoolsSee_WithoutAttestations()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();

        var resolved = await services.Resolver.ResolveAsync(images.MultiArch);
        var skopeo = await Tools.SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{images.MultiArch}");
        var imagetools = await Tools.DockerAsync("buildx", "imagetools", "inspect", "--raw", images.MultiArch.ToString());

        resolved.MediaType.ShouldBe(MediaTypes.OciIndex);
        resolved.Variants.Select(v => v.Platform.ToString()).ShouldBe(HostSettings.Platforms);
        Digest.Compute(Encoding.UTF8.GetBytes(skopeo.StandardOutput)).ShouldBe(resolved.Digest);
        Digest.Compute(Encoding.UTF8.GetBytes(imagetools.StandardOutput)).ShouldBe(resolved.Digest);
        var index = (await services.Client.GetManifestAsync(images.MultiArch))!.Index!;
        index.Manifests.Count(d => d.IsAttestation).ShouldBe(3);
    }

    [Theory]
    [InlineData("linux/amd64", "amd64")]
    [InlineData("linux/aarch64", "arm64")]
    [InlineData("linux/ppc64el", "ppc64le")]
    public async Task ResolvePlatform_EachArchitecture_ReadsThatVariantsConfigAndLabels(string platform, string architecture)
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();

        var image = await services.Resolver.ResolvePlatformAsync(images.MultiArch, Platform.Parse(platform));

        image.Config.Architecture.ShouldBe(architecture);
        image.Config.Config!.Labels!["io.polyarch.test"].ShouldBe("registry");
        image.Manifest.Layers.ShouldNotBeEmpty();
        (await services.Client.BlobExistsAsync(images.MultiArch, image.Manifest.Layers[0].Digest)).ShouldBeTrue();
    }

    [Fact]
    public async Task Resolve_CostsOneRequestCold_OneConditionalWhenStale_NoneWhenPinned_PerTheRegistrysAccessLog()
    {
        var images = await TestImages.GetAsync(fixture);
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var services = new RegistryServices(time);
        var resolver = services.Resolver;
        Digest? digest = null;

        var cold = await AccessLog.MeasureAsync(fixture.Registry, async () => digest = (await resolver.ResolveAsync(images.MultiArch)).Digest);
        var fresh = await AccessLog.MeasureAsync(fixture.Registry, () => resolver.ResolveAsync(images.MultiArch));
        time.Advance(TimeSpan.FromMinutes(3));
        var stale = await AccessLog.MeasureAsync(fixture.Registry, () => resolver.ResolveAsync(images.MultiArch));
        var pinned = await AccessLog.MeasureAsync(fixture.Registry, () => resolver.ResolveAsync(images.MultiArch.WithDigest(digest!)));

        cold.ShouldBe(["GET /v2/it/uname/manifests/v1"]);
        fresh.ShouldBeEmpty();
        stale.ShouldBe(["GET /v2/it/uname/manifests/v1"]);
        pinned.ShouldBeEmpty();
        (await StatusOfLastManifestGetAsync()).ShouldBe("304");
    }

    private async Task<string> StatusOfLastManifestGetAsync()
    {
        await Task.Yield();
        var line = fixture.Registry.Log.Last(l => l.Contains("\"GET /v2/it/uname/manifests/v1 ", StringComparison.Ordinal));
        return line.Split("\" ")[1][..3];
    }
}
