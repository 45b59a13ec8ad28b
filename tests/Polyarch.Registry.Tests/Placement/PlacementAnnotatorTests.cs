using System.Text.Json.Nodes;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Client;
using Polyarch.Registry.Tests.Oci;

namespace Polyarch.Registry.Tests.Placement;

public sealed class PlacementAnnotatorTests
{
    private const string IndexFile = "buildx-oci-index-with-attestations.json";
    private static readonly Digest Amd64 = Digest.Parse("sha256:7633baa030c863a4e1f4b18b9863071769b790afb8ab39e51b13ba6d30406ae0");
    private static readonly Digest Arm64 = Digest.Parse("sha256:1ad7c0b9d7489fc49b5d567c54cbbb06e77048d3a013dfbf92a49c8805a48bdf");
    private static readonly Digest Ppc64le = Digest.Parse("sha256:083a9fa88d5cda08e790104176c85969a7dd5cefeb1e045ff1253ecc16539cb6");

    private static readonly PlacementHints Gpu = PlacementHints.FromLabels(new Dictionary<string, string>
    {
        ["io.polyarch.requires.gpu"] = "1",
        ["io.polyarch.action.protocol"] = "http",
        ["io.polyarch.action.port"] = "8080",
    });

    [Fact]
    public void Annotate_BuildxIndex_PutsEachVariantsHintsOnItsEntry_AndChangesNothingElse()
    {
        var original = FixturePaths.Manifest(IndexFile);

        var annotated = PlacementAnnotator.Annotate(original, new Dictionary<Digest, PlacementHints> { [Amd64] = Gpu, [Arm64] = PlacementHints.None, [Ppc64le] = Gpu }, IndexFile);

        var index = ManifestDocument.Parse(annotated, null, "annotated").Index!;
        PlacementHints.FromDescriptor(index.Manifests[0]).ShouldBe(Gpu);
        PlacementHints.FromDescriptor(index.Manifests[1]).ShouldBe(PlacementHints.None);
        PlacementHints.FromDescriptor(index.Manifests[2]).ShouldBe(Gpu);
        index.Manifests[0].Annotations!.Keys.ShouldBe(["io.polyarch.action.port", "io.polyarch.action.protocol", "io.polyarch.placement", "io.polyarch.requires.gpu"], ignoreOrder: true);
        // Attestations keep theirs and get none; without the annotations the JSON is the original, field for field.
        index.Manifests.Skip(3).ShouldAllBe(d => d.IsAttestation && PlacementHints.FromDescriptor(d) == null);
        var stripped = JsonNode.Parse(annotated)!;
        foreach (var entry in stripped["manifests"]!.AsArray().Take(3))
        {
            entry!.AsObject().Remove("annotations");
        }

        JsonNode.DeepEquals(stripped, JsonNode.Parse(original)).ShouldBeTrue();
        OciSchemaValidator.ValidateIndex(annotated).ShouldBeEmpty();
    }

    [Fact]
    public void Annotate_AnEntryWithOldHints_ReplacesThem_AndKeepsItsOtherAnnotations()
    {
        var old = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.requires.memory"] = "1Gi", ["io.polyarch.action.port"] = "9000" });
        var once = PlacementAnnotator.Annotate(FixturePaths.Manifest(IndexFile), new Dictionary<Digest, PlacementHints> { [Amd64] = old }, IndexFile);
        var node = JsonNode.Parse(once)!;
        node["manifests"]![0]!["annotations"]!["org.example.keep"] = "yes";
        var withOther = System.Text.Encoding.UTF8.GetBytes(node.ToJsonString());

        var twice = PlacementAnnotator.Annotate(withOther, new Dictionary<Digest, PlacementHints> { [Amd64] = Gpu }, IndexFile);

        var entry = ManifestDocument.Parse(twice, null, "twice").Index!.Manifests[0];
        PlacementHints.FromDescriptor(entry).ShouldBe(Gpu);
        entry.Annotations!.ShouldNotContainKey("io.polyarch.requires.memory");
        entry.Annotations!["org.example.keep"].ShouldBe("yes");
    }

    [Fact]
    public void Annotate_ADigestTheIndexDoesNotHave_Throws_NamingIt()
    {
        var absent = Digest.Parse("sha256:" + new string('f', 64));

        var exception = Should.Throw<InvalidManifestException>(() =>
            PlacementAnnotator.Annotate(FixturePaths.Manifest(IndexFile), new Dictionary<Digest, PlacementHints> { [absent] = Gpu }, IndexFile));

        exception.Message.ShouldContain(absent.ToString());
        exception.Message.ShouldContain(IndexFile);
    }

    [Fact]
    public void Annotate_AnImageManifest_Throws()
    {
        Should.Throw<InvalidManifestException>(() =>
            PlacementAnnotator.Annotate(FixturePaths.Manifest("buildx-oci-image-amd64-manifest.json"), new Dictionary<Digest, PlacementHints>(), "m"))
            .Message.ShouldContain("not an index");
    }

    [Fact]
    public async Task ResolveAsync_AnAnnotatedIndex_GivesEachVariantItsHints_InOneRequest()
    {
        var annotated = PlacementAnnotator.Annotate(FixturePaths.Manifest(IndexFile), new Dictionary<Digest, PlacementHints> { [Amd64] = Gpu, [Arm64] = PlacementHints.None }, IndexFile);
        using var host = new RegistryTestHost();
        host.Handler.AddManifest("demo/echo", "v2", annotated, MediaTypes.OciIndex);

        var resolved = await host.Resolver.ResolveAsync(ImageReference.Parse("127.0.0.1:5000/demo/echo:v2"));

        resolved.Variants.Select(v => v.Hints).ShouldBe([Gpu, PlacementHints.None, null]);
        host.Handler.Requests.Count.ShouldBe(1);
    }
}
