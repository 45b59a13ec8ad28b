using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Testing;

/// <summary>
/// An index of the given platforms (no placement annotations: built elsewhere) whose configs answer only once
/// <c>expected</c> reads are waiting, or after <c>patience</c>: code that reads them one after another shows a
/// <see cref="PeakInFlight"/> of 1 instead of all of them. Each config carries an <c>io.polyarch.action.port</c> label.
/// </summary>
public sealed class GatedConfigResolver(IReadOnlyList<string> platforms, int? expected = null, TimeSpan? patience = null) : IImageResolver
{
    /// <summary>The index's digest (any reference resolves to it).</summary>
    public static readonly Digest IndexDigest = Digest.Parse("sha256:" + new string('a', 64));

    private readonly int _expected = expected ?? platforms.Count;
    private readonly TimeSpan _patience = patience ?? TimeSpan.FromSeconds(2);
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private int _inFlight;

    /// <summary>The most config reads that were waiting at once.</summary>
    public int PeakInFlight { get; private set; }

    /// <summary>A platform whose config claims linux/s390x (a variant that is not what its index entry says).</summary>
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
            if (_inFlight == _expected)
            {
                _all.TrySetResult();
            }
        }

        try
        {
            await _all.Task.WaitAsync(_patience, cancellationToken);
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
        return new ImageConfig
        {
            Os = platform.Os,
            Architecture = platform.Architecture,
            Variant = platform.Variant,
            Config = new ContainerConfig { Labels = new Dictionary<string, string> { ["io.polyarch.action.port"] = "8080" } },
        };
    }

    public Task<ResolvedImage> ResolvePlatformAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("reads the index and its configs only");
}
