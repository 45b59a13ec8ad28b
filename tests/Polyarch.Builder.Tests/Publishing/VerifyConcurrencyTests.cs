using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>
/// Verifying a pushed index reads every platform's config at once (issue 18, P4/P5: one round trip's time after the bake,
/// not one per platform), and still reports problems in the order the platforms were asked for.
/// </summary>
public sealed class VerifyConcurrencyTests
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64", "linux/ppc64le"];

    [Fact]
    public async Task Verify_ThreePlatforms_AsksForEveryConfigBeforeAnyAnswers()
    {
        var resolver = new GatedConfigResolver(Platforms, expected: 3);
        var publisher = new RegistryImagePublisher(resolver, client: null!); // VerifyAsync reads through the resolver only.

        var image = await publisher.VerifyAsync("127.0.0.1:5000", "demo/echo", GatedConfigResolver.IndexDigest.ToString(), Platforms, _ => { }, CancellationToken.None);

        resolver.PeakInFlight.ShouldBe(3, "a sequential verify asks for one config, waits for it, then asks for the next");
        image.Platforms.Select(p => p.Platform).ShouldBe(Platforms);
    }

    [Fact]
    public async Task Verify_MissingAndWrongVariants_ReportsEveryProblemInTheOrderAsked()
    {
        var resolver = new GatedConfigResolver(["linux/amd64", "linux/arm64"], expected: 2) { WrongConfigFor = "linux/amd64" };
        var publisher = new RegistryImagePublisher(resolver, client: null!);

        var exception = await Should.ThrowAsync<BuildFailedException>(() =>
            publisher.VerifyAsync("127.0.0.1:5000", "demo/echo", GatedConfigResolver.IndexDigest.ToString(), ["linux/ppc64le", "linux/amd64", "linux/arm64"], _ => { }, CancellationToken.None));

        exception.Message.ShouldContain("failed verification: no runnable variant for linux/ppc64le; variant linux/amd64 (");
        exception.Message.ShouldContain("has a config for linux/s390x (it has linux/amd64, linux/arm64)");
    }
}
