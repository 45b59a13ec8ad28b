using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Manifests;

public sealed class FixtureManifestTests
{
    public static TheoryData<string> ManifestFiles =>
        new(Directory.GetFiles(FixturePaths.Manifests, "*.json").Select(Path.GetFileName).Where(n => !n!.EndsWith("-config.json", StringComparison.Ordinal))!);

    public static TheoryData<string> ConfigFiles =>
        new(Directory.GetFiles(FixturePaths.Manifests, "*-config.json").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void Parse_EveryFixtureManifest_ReadsAndKeepsTheBytes(string file)
    {
        var bytes = FixturePaths.Manifest(file);

        var document = ManifestDocument.Parse(bytes, contentType: null, file);

        document.Digest.ShouldBe(Digest.Compute(bytes));
        document.Content.ToArray().ShouldBe(bytes);
        (document.IsIndex ? document.Index!.Manifests.Count : document.Manifest!.Layers.Count).ShouldBeGreaterThan(0);
    }

    [Theory]
    [MemberData(nameof(ConfigFiles))]
    public void DeserializeConfig_EveryFixtureConfig_HasALinuxPlatform(string file)
    {
        var config = ManifestSerializer.DeserializeConfig(FixturePaths.Manifest(file), file);

        config.Os.ShouldBe("linux");
        file.ShouldContain(config.Architecture);
        config.Config!.Entrypoint.ShouldNotBeNull();
    }

    [Fact]
    public void EveryReferencedFixture_HashesToItsDigestAndSize()
    {
        // The OCI and Docker v2 manifests share their configs, so several files can have one digest.
        var files = Directory.GetFiles(FixturePaths.Manifests, "*.json")
            .GroupBy(f => Digest.Compute(File.ReadAllBytes(f)))
            .ToDictionary(g => g.Key, g => g.First());
        var checkedCount = 0;

        foreach (var file in Directory.GetFiles(FixturePaths.Manifests, "*.json").Where(f => !f.EndsWith("-config.json", StringComparison.Ordinal)))
        {
            var document = ManifestDocument.Parse(File.ReadAllBytes(file), null, file);
            var references = document.IsIndex ? document.Index!.Manifests : [document.Manifest!.Config];
            foreach (var descriptor in references.Where(d => files.ContainsKey(d.Digest)))
            {
                new FileInfo(files[descriptor.Digest]).Length.ShouldBe(descriptor.Size, files[descriptor.Digest]);
                checkedCount++;
            }
        }

        // 6 entries of the buildx index, 3 of the manifest list, 6 image configs.
        checkedCount.ShouldBe(15);
    }

    [Fact]
    public void BuildxIndex_AttestationEntriesAreNotRunnable()
    {
        var index = ManifestDocument.Parse(FixturePaths.Manifest("buildx-oci-index-with-attestations.json"), null, "fixture").Index!;

        index.Manifests.Count.ShouldBe(6);
        index.Manifests.Count(d => d.IsRunnable).ShouldBe(3);
        index.Manifests.Where(d => d.IsAttestation).ShouldAllBe(d => !d.IsRunnable && d.Platform!.IsUnknown);
        index.Manifests.Where(d => d.IsRunnable).Select(d => d.Platform!.ToString())
            .ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        PlatformMatcher.SelectBest(Platform.Linux("aarch64"), index.Manifests)!.Digest.ToString()
            .ShouldBe("sha256:1ad7c0b9d7489fc49b5d567c54cbbb06e77048d3a013dfbf92a49c8805a48bdf");
    }

    [Fact]
    public void DockerManifestList_IsAnIndexOfDockerManifests()
    {
        var document = ManifestDocument.Parse(FixturePaths.Manifest("docker-manifest-create-list.json"), null, "fixture");

        document.MediaType.ShouldBe(MediaTypes.DockerManifestList);
        document.Index!.Manifests.ShouldAllBe(d => d.MediaType == MediaTypes.DockerManifest && d.IsRunnable);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[1,2]")]
    [InlineData("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"x\",\"digest\":\"md5:00\",\"size\":1}]}")]
    [InlineData("not json")]
    public void Parse_Garbage_ThrowsInvalidManifest(string json) =>
        Should.Throw<InvalidManifestException>(() => ManifestDocument.Parse(System.Text.Encoding.UTF8.GetBytes(json), null, "test"))
            .Message.ShouldContain("test");

    [Fact]
    public void Parse_UnknownMediaTypeInIndex_IsToleratedAndNotRunnable()
    {
        var json = """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{"mediaType":"application/vnd.example+json","digest":"sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","size":0,"platform":{"os":"linux","architecture":"amd64"}}]}""";

        var index = ManifestDocument.Parse(System.Text.Encoding.UTF8.GetBytes(json), null, "test").Index!;

        index.Manifests.Single().IsRunnable.ShouldBeFalse();
    }
}
