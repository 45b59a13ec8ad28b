using System.Text;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Core.Tests.Images;

/// <summary>
/// An index of three variants built elsewhere (no placement hints) whose configs answer only once all three are being
/// read: a catalog that reads them one after another never gets the first answer.
/// </summary>
internal sealed class GatedConfigResolver : IImageResolver
{
    private static readonly string[] Architectures = ["amd64", "arm64", "ppc64le"];
    private readonly TaskCompletionSource _allAsked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _asked;

    public int MostInFlight { get; private set; }

    public Task<ResolvedIndex> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ResolvedIndex(reference, Digest.Compute(Encoding.UTF8.GetBytes("index")), "application/vnd.oci.image.index.v1+json",
            [.. Architectures.Select(arch => new ImageVariant(Platform.Linux(arch), Digest.Compute(Encoding.UTF8.GetBytes(arch)), 100, "application/vnd.oci.image.manifest.v1+json"))]));

    public Task<ResolvedImage> ResolvePlatformAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the catalog resolves the index and reads configs");

    public async Task<ImageConfig> GetConfigAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken = default)
    {
        var asked = Interlocked.Increment(ref _asked);
        MostInFlight = Math.Max(MostInFlight, asked);
        if (asked == Architectures.Length)
        {
            _allAsked.TrySetResult();
        }

        await _allAsked.Task.WaitAsync(cancellationToken);
        return new ImageConfig
        {
            Architecture = variant.Platform.Architecture,
            Os = "linux",
            Config = new ContainerConfig { Labels = new Dictionary<string, string> { ["io.polyarch.action.port"] = $"80{asked}" } },
        };
    }
}
