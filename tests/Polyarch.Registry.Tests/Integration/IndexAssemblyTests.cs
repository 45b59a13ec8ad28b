using System.Text;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Oci;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>`docker manifest create` done right, against a real registry, proven with docker, buildx and skopeo.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class IndexAssemblyTests(RegistryFixture fixture)
{
    private static readonly Dictionary<string, string> Machines = new()
    {
        ["linux/amd64"] = "x86_64",
        ["linux/arm64"] = "aarch64",
        ["linux/ppc64le"] = "ppc64le",
    };

    [Fact]
    public async Task Create_FromThreePerArchImagesInAnotherRepository_IsAValidOciIndexThatRunsEverywhere()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();
        var target = ImageReference.Parse($"{fixture.Address}/it/assembled:latest");
        var annotations = new IndexAnnotations(
            DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "https://git.example/echo.git", "0123456789ab");

        var index = await services.Assembler.CreateAsync(target, images.PerArch, annotations);

        index.MediaType.ShouldBe(MediaTypes.OciIndex);
        index.Children.Select(c => c.Platform.ToString()).ShouldBe(HostSettings.Platforms);
        var raw = Encoding.UTF8.GetBytes((await Tools.SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{target}")).StandardOutput);
        Digest.Compute(raw).ShouldBe(index.Digest);
        OciSchemaValidator.ValidateIndex(raw).ShouldBeEmpty();
        var written = ManifestDocument.Parse(raw, null, target.ToString()).Index!;
        written.Annotations!.ShouldContainKeyAndValue(Annotations.Revision, "0123456789ab");
        written.Annotations!.ShouldContainKeyAndValue(Annotations.Created, "2026-11-26T12:00:00Z");
        var inspect = (await Tools.DockerAsync("buildx", "imagetools", "inspect", target.ToString())).StandardOutput;
        foreach (var platform in HostSettings.Platforms)
        {
            System.Text.RegularExpressions.Regex.IsMatch(inspect, $@"Platform:\s+{platform}\s").ShouldBeTrue(inspect);
            var run = await Engine.RunAsync(target.ToString(), platform);
            run.StandardOutput.Trim().ShouldBe(Machines[platform], $"docker run --platform {platform} {target}: {run.StandardError}");
        }
    }

    [Fact]
    public async Task Create_MountsEveryBlobAcrossRepositories_PushesChildrenByDigestThenTheIndexByTag()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();
        var target = ImageReference.Parse($"{fixture.Address}/it/mounted:latest");

        var requests = await AccessLog.MeasureAsync(fixture.Registry, () => services.Assembler.CreateAsync(target, images.PerArch));

        var writes = requests.Where(r => !r.StartsWith("GET ", StringComparison.Ordinal) && !r.StartsWith("HEAD ", StringComparison.Ordinal)).ToList();
        writes.Where(r => r.StartsWith("POST /v2/it/mounted/blobs/uploads/", StringComparison.Ordinal)).ShouldNotBeEmpty();
        writes.ShouldNotContain(r => r.StartsWith("PATCH ", StringComparison.Ordinal) || (r.StartsWith("PUT ", StringComparison.Ordinal) && r.Contains("/blobs/uploads/", StringComparison.Ordinal)));
        var manifestPuts = writes.Where(r => r.StartsWith("PUT /v2/it/mounted/manifests/", StringComparison.Ordinal)).ToList();
        manifestPuts.Count.ShouldBe(4);
        manifestPuts.Take(3).ShouldAllBe(r => r.Contains("/manifests/sha256:", StringComparison.Ordinal));
        manifestPuts[^1].ShouldBe("PUT /v2/it/mounted/manifests/latest");
        (await services.Client.ListTagsAsync(images.PerArch[0]))!.Order(StringComparer.Ordinal).ShouldBe(["amd64", "arm64", "ppc64le"]);
    }

    [Fact]
    public async Task Create_FromDockerV2Children_WritesADockerManifestListLikeTheSeed()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();
        var list = (await services.Client.GetManifestAsync(images.DockerList))!;
        var sources = list.Index!.Manifests.Select(d => images.DockerList.WithDigest(d.Digest)).ToList();
        var target = ImageReference.Parse($"{fixture.Address}/it/seed:latest");

        var index = await services.Assembler.CreateAsync(target, sources);

        list.MediaType.ShouldBe(MediaTypes.DockerManifestList);
        index.MediaType.ShouldBe(MediaTypes.DockerManifestList);
        var raw = Encoding.UTF8.GetBytes((await Tools.SkopeoAsync("inspect", "--raw", "--tls-verify=false", $"docker://{target}")).StandardOutput);
        Digest.Compute(raw).ShouldBe(index.Digest);
        OciSchemaValidator.ValidateIndex(raw).ShouldBeEmpty();
        var run = await Engine.RunAsync(target.ToString(), "linux/arm64");
        run.StandardOutput.Trim().ShouldBe("aarch64");
    }

    [Fact]
    public async Task Append_AddsAPlatform_IsANoOpForTheSameImage_AndRefusesAnotherOfAPlatformItHas()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();
        var target = ImageReference.Parse($"{fixture.Address}/it/appended:latest");
        var otherAmd64 = await AnotherImageLikeAsync(services, images.PerArch[0]);

        await services.Assembler.AppendAsync(target, images.PerArch[0]);
        var appended = await services.Assembler.AppendAsync(target, images.PerArch[2]);
        var again = await services.Assembler.AppendAsync(target, images.PerArch[0]);
        var duplicate = await Should.ThrowAsync<IndexAssemblyException>(() => services.Assembler.AppendAsync(target, otherAmd64));

        appended.Children.Select(c => c.Platform.ToString()).ShouldBe(["linux/amd64", "linux/ppc64le"]);
        again.Digest.ShouldBe(appended.Digest);
        duplicate.Message.ShouldContain("linux/amd64");
        duplicate.Message.ShouldContain(otherAmd64.ToString());
        var resolved = await new RegistryServices().Resolver.ResolveAsync(target);
        resolved.Digest.ShouldBe(appended.Digest);
        resolved.Variants.Select(v => v.Platform.ToString()).ShouldBe(["linux/amd64", "linux/ppc64le"]);
        (await Engine.RunAsync(target.ToString(), "linux/ppc64le")).StandardOutput.Trim().ShouldBe("ppc64le");
    }

    /// <summary>The same amd64 image manifest with one more annotation: same platform and layers, another digest.</summary>
    private static async Task<ImageReference> AnotherImageLikeAsync(RegistryServices services, ImageReference image)
    {
        var pinned = (await services.Resolver.ResolvePlatformAsync(image, Platform.Linux("amd64"))).Pinned;
        var manifest = (await services.Client.GetManifestAsync(pinned))!;
        var json = System.Text.Json.Nodes.JsonNode.Parse(manifest.Content.Span)!.AsObject();
        var annotations = json["annotations"] as System.Text.Json.Nodes.JsonObject ?? [];
        annotations["io.polyarch.test.variant"] = "another";
        json["annotations"] = annotations.DeepClone();
        var other = image.WithTag($"{image.Tag}-another");
        await services.Client.PutManifestAsync(other, System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), manifest.MediaType);
        return other;
    }

    [Fact]
    public async Task Create_TwoSourcesForOnePlatform_RefusesNamingBoth()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();
        var amd64Child = (await services.Resolver.ResolvePlatformAsync(images.MultiArch, Platform.Linux("amd64"))).Pinned;

        var exception = await Should.ThrowAsync<IndexAssemblyException>(() => services.Assembler.CreateAsync(
            ImageReference.Parse($"{fixture.Address}/it/clash:latest"), [images.PerArch[0], amd64Child, images.PerArch[1]]));

        exception.Message.ShouldContain($"linux/amd64 from {images.PerArch[0]} and {amd64Child}");
        (await services.Client.HeadManifestAsync(ImageReference.Parse($"{fixture.Address}/it/clash:latest"))).ShouldBeNull();
    }

    [Fact]
    public async Task Create_FromAMultiPlatformIndex_RefusesIt()
    {
        var images = await TestImages.GetAsync(fixture);
        using var services = new RegistryServices();

        var exception = await Should.ThrowAsync<IndexAssemblyException>(() => services.Assembler.CreateAsync(
            ImageReference.Parse($"{fixture.Address}/it/nested:latest"), [images.MultiArch]));

        exception.Message.ShouldContain("3 runnable images (linux/amd64, linux/arm64, linux/ppc64le)");
    }
}
