using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Placement;

public sealed class PlacementHintsTests
{
    private static readonly Digest Child = Digest.Parse("sha256:" + new string('a', 64));

    [Theory]
    [InlineData("io.polyarch.requires.gpu", true)]
    [InlineData("io.polyarch.requires.memory", true)]
    [InlineData("io.polyarch.requires.tpu", true)]
    [InlineData("io.polyarch.action.protocol", true)]
    [InlineData("io.polyarch.action.port", true)]
    [InlineData("io.polyarch.requires.", false)]
    [InlineData("io.polyarch.placement", false)]
    [InlineData("io.polyarch.action.name", false)]
    [InlineData("IO.POLYARCH.REQUIRES.GPU", false)]
    [InlineData("org.opencontainers.image.title", false)]
    public void IsPlacementKey_TakesOnlyRequirementProtocolAndPortLabels(string key, bool expected) =>
        PlacementAnnotations.IsPlacementKey(key).ShouldBe(expected);

    [Fact]
    public void FromLabels_KeepsOnlyPlacementLabels()
    {
        var hints = PlacementHints.FromLabels(new Dictionary<string, string>
        {
            ["org.opencontainers.image.title"] = "demo/echo",
            ["io.polyarch.requires.gpu"] = "1",
            ["io.polyarch.action.protocol"] = "exec",
            ["io.polyarch.action.port"] = "9090",
        });

        hints.Labels.ShouldBe(new Dictionary<string, string>
        {
            ["io.polyarch.action.port"] = "9090",
            ["io.polyarch.action.protocol"] = "exec",
            ["io.polyarch.requires.gpu"] = "1",
        });
    }

    [Theory]
    [InlineData("0")]
    [InlineData("65536")]
    [InlineData("80a")]
    [InlineData("lots")]
    public void Values_AreCarriedAsRawStrings_NotInterpreted(string value)
    {
        // The registry library carries the values; the invoker's VariantRequirements judges them (one parser).
        var hints = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.action.port"] = value, ["io.polyarch.requires.gpu"] = value });

        hints.Labels["io.polyarch.action.port"].ShouldBe(value);
        hints.Labels["io.polyarch.requires.gpu"].ShouldBe(value);
    }

    [Fact]
    public void FromDescriptor_WithoutTheMarker_IsNull_EvenWithPlacementLikeAnnotations()
    {
        var descriptor = Entry(new Dictionary<string, string> { ["io.polyarch.requires.gpu"] = "1" });

        PlacementHints.FromDescriptor(descriptor).ShouldBeNull();
        PlacementHints.FromDescriptor(Entry(null)).ShouldBeNull();
        PlacementHints.FromDescriptor(Entry(new Dictionary<string, string> { ["io.polyarch.placement"] = "v2" })).ShouldBeNull();
    }

    [Fact]
    public void FromDescriptor_WithTheMarkerAndNoLabels_IsNone_NotNull()
    {
        var hints = PlacementHints.FromDescriptor(Entry(new Dictionary<string, string> { ["io.polyarch.placement"] = "v1" }));

        hints.ShouldBe(PlacementHints.None);
        hints!.Labels.ShouldBeEmpty();
    }

    [Fact]
    public void ToAnnotations_ThenFromDescriptor_RoundTrips()
    {
        var hints = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.requires.memory"] = "512Mi", ["io.polyarch.action.port"] = "8080" });

        var back = PlacementHints.FromDescriptor(Entry(hints.ToAnnotations()));

        back.ShouldBe(hints);
        hints.ToAnnotations()["io.polyarch.placement"].ShouldBe("v1");
    }

    [Fact]
    public void Equals_ComparesLabelsByValue()
    {
        var a = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.requires.gpu"] = "1" });
        var b = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.requires.gpu"] = "1", ["other"] = "x" });
        var c = PlacementHints.FromLabels(new Dictionary<string, string> { ["io.polyarch.requires.gpu"] = "2" });

        a.ShouldBe(b);
        a.GetHashCode().ShouldBe(b.GetHashCode());
        a.ShouldNotBe(c);
        a.ShouldNotBe(PlacementHints.None);
    }

    private static Descriptor Entry(IReadOnlyDictionary<string, string>? annotations) =>
        new() { MediaType = MediaTypes.OciManifest, Digest = Child, Size = 1, Annotations = annotations };
}
