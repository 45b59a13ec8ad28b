using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>Resolves image references to indexes, platform variants and configs (what builder and invoker use).</summary>
public interface IImageResolver
{
    /// <summary>The index (or single manifest) behind a reference: its digest and every runnable variant.</summary>
    public Task<ResolvedIndex> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>The variant for one platform (containerd-like compatibility order), with its manifest and config.</summary>
    public Task<ResolvedImage> ResolvePlatformAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default);

    /// <summary>A variant's image config (labels such as io.polyarch.requires.gpu live there).</summary>
    public Task<ImageConfig> GetConfigAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken = default);
}
