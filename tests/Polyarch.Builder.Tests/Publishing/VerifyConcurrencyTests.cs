using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

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
        var resolver = new GatedResolver(Platforms, expected: 3);
        var publisher = new RegistryImagePublisher(resolver, client: null!); // VerifyAsync reads through the resolver only.

        var image = await publisher.VerifyAsync("127.0.0.1:5000", "demo/echo", GatedResolver.IndexDigest.ToString(), Platforms, _ => { }, CancellationToken.None);

        resolver.PeakInFlight.ShouldBe(3, "a sequential verify asks for one config, waits for it, then asks for the next");
        image.Platforms.Select(p => p.Platform).ShouldBe(Platforms);
    }

    [Fact]
    public async Task Verify_MissingAndWrongVariants_ReportsEveryProblemInTheOrderAsked()
    {
        var resolver = new GatedResolver(["linux/amd64", "linux/arm64"], expected: 2) { WrongConfigFor = "linux/amd64" };
        var publisher = new RegistryImagePublisher(resolver, client: null!);

        var exception = await Should.ThrowAsync<BuildFailedException>(() =>
            publisher.VerifyAsync("127.0.0.1:5000", "demo/echo", GatedResolver.IndexDigest.ToString(), ["linux/ppc64le", "linux/amd64", "linux/arm64"], _ => { }, CancellationToken.None));

        exception.Message.ShouldContain("failed verification: no runnable variant for linux/ppc64le; variant linux/amd64 (");
        exception.Message.ShouldContain("has a config for linux/s390x (it has linux/amd64, linux/arm64)");
    }

    /// <summary>An index of the given platforms whose configs answer only once <c>expected</c> requests are waiting (or after 2 s).</summary>
    private sealed class GatedResolver(IReadOnlyList<string> platforms, int expected) : IImageResolver
    {
        public static readonly Digest IndexDigest = Digest.Parse("sha256:" + new string('a', 64));
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private int _inFlight;

        public int PeakInFlight { get; private set; }

        public string? WrongConfigFor { get; init; }

        public Task<ResolvedIndex> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ResolvedIndex(
                reference,
                IndexDigest,
                MediaTypes.OciIndex,
                [.. platforms.Select((p, i) => new ImageVariant(Platform.Parse(p), Digest.Parse("sha256:" + new string((char)('b' + i), 64)), 500, MediaTypes.OciManifest))]));

        public async Task<ImageConfig> GetConfigAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                PeakInFlight = Math.Max(PeakInFlight, ++_inFlight);
                if (_inFlight == expected)
                {
                    _all.TrySetResult();
                }
            }

            try
            {
                await _all.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
            catch (TimeoutException)
            {
                // Asked one at a time: answer anyway, PeakInFlight tells.
            }

            lock (_gate)
            {
                _inFlight--;
            }

            var platform = variant.Platform.ToString() == WrongConfigFor ? Platform.Parse("linux/s390x") : variant.Platform;
            return new ImageConfig { Os = platform.Os, Architecture = platform.Architecture, Variant = platform.Variant };
        }

        public Task<ResolvedImage> ResolvePlatformAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("Verify resolves the index and reads configs only.");
    }
}
