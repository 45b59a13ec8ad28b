using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Platforms;

public sealed class PlatformMatcherTests
{
    [Theory]
    [InlineData("linux/amd64", "linux/amd64", true)]
    [InlineData("linux/amd64/v3", "linux/amd64/v2", true)]
    [InlineData("linux/amd64/v3", "linux/amd64", true)]
    [InlineData("linux/amd64", "linux/amd64/v3", false)]
    [InlineData("linux/arm64", "linux/aarch64", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64", true)]
    [InlineData("linux/arm64/v8.2", "linux/arm64/v8.1", true)]
    [InlineData("linux/arm64", "linux/arm64/v8.2", false)]
    [InlineData("linux/arm/v7", "linux/arm/v6", true)]
    [InlineData("linux/arm/v7", "linux/arm/v5", true)]
    [InlineData("linux/arm/v6", "linux/arm/v7", false)]
    [InlineData("linux/ppc64le", "linux/ppc64el", true)]
    [InlineData("linux/ppc64le", "linux/amd64", false)]
    [InlineData("linux/amd64", "windows/amd64", false)]
    [InlineData("linux/amd64", "unknown/unknown", false)]
    public void IsCompatible_FollowsContainerdOrder(string requested, string candidate, bool expected)
    {
        var have = candidate == "unknown/unknown" ? new Platform("unknown", "unknown") : Platform.Parse(candidate);

        PlatformMatcher.IsCompatible(Platform.Parse(requested), have).ShouldBe(expected);
    }

    [Theory]
    [InlineData("linux/amd64/v3", "v3")]
    [InlineData("linux/amd64/v2", "v2")]
    [InlineData("linux/amd64", "")]
    public void SelectBest_PrefersTheClosestVariant(string requested, string expectedVariant)
    {
        var candidates = new[] { Entry("linux/amd64", 1), Entry("linux/amd64/v2", 2), Entry("linux/amd64/v3", 3) };

        var best = PlatformMatcher.SelectBest(Platform.Parse(requested), candidates);

        (best!.Platform!.Variant ?? string.Empty).ShouldBe(expectedVariant);
    }

    [Fact]
    public void SelectBest_EqualMatches_TakesTheFirst()
    {
        var first = Entry("linux/arm64", 1);
        var second = Entry("linux/arm64/v8", 2);

        PlatformMatcher.SelectBest(Platform.Parse("linux/arm64"), [first, second]).ShouldBeSameAs(first);
    }

    [Fact]
    public void SelectBest_SkipsAttestationsAndUnknownMediaTypes()
    {
        var attestation = Entry("linux/amd64", 1) with
        {
            Annotations = new Dictionary<string, string> { [Annotations.DockerReferenceType] = "attestation-manifest" },
        };
        var artifact = Entry("linux/amd64", 2) with { MediaType = "application/vnd.example.thing+json" };

        PlatformMatcher.SelectBest(Platform.Parse("linux/amd64"), [attestation, artifact]).ShouldBeNull();
    }

    private static Descriptor Entry(string platform, byte seed) => new()
    {
        MediaType = MediaTypes.OciManifest,
        Digest = Digest.Compute([seed]),
        Size = 1,
        Platform = Platform.Parse(platform),
    };
}
