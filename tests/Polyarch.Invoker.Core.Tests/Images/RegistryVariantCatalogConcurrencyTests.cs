using Polyarch.Invoker.Images;
using Polyarch.Testing;

namespace Polyarch.Invoker.Core.Tests.Images;

/// <summary>Issue 18 P7: an image built elsewhere costs its index plus one manifest → config chain's time, not one per platform.</summary>
public sealed class RegistryVariantCatalogConcurrencyTests
{
    [Fact]
    public async Task The_configs_of_an_index_built_elsewhere_are_read_at_once_not_one_platform_after_another()
    {
        // Each config answers only once all three are asked for: read one after another, the first never answers.
        var resolver = new GatedConfigResolver(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        var catalog = new RegistryVariantCatalog(resolver);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var image = await catalog.GetAsync("127.0.0.1:5000/catalog/gated:v1", timeout.Token);

        resolver.PeakInFlight.ShouldBe(3);
        image.Variants.Select(v => v.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], "index order is kept");
        image.Variants.ShouldAllBe(v => v.Labels.ContainsKey("io.polyarch.action.port"));
    }
}
