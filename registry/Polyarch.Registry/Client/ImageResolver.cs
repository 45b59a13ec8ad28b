using Microsoft.Extensions.Logging;
using Polyarch.Registry.Http;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <inheritdoc cref="IImageResolver" />
internal sealed class ImageResolver : IImageResolver
{
    private readonly IRegistryClient _client;
    private readonly ILogger<ImageResolver> _logger;

    public ImageResolver(IRegistryClient client, ILogger<ImageResolver> logger)
    {
        _client = client;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<ResolvedIndex> ResolveAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        var document = await GetRequiredAsync(reference, cancellationToken).ConfigureAwait(false);
        if (document.Index is { } index)
        {
            return new ResolvedIndex(reference, document.Digest, document.MediaType, [.. index.Manifests.Where(d => d.IsRunnable).Select(ToVariant)]) { Annotations = index.Annotations };
        }

        var config = await ReadConfigAsync(reference, document.Manifest!, cancellationToken).ConfigureAwait(false);
        var single = new ImageVariant(config.Platform, document.Digest, document.Content.Length, document.MediaType);
        return new ResolvedIndex(reference, document.Digest, document.MediaType, config.Platform.IsUnknown ? [] : [single]);
    }

    /// <inheritdoc />
    public async Task<ResolvedImage> ResolvePlatformAsync(ImageReference reference, Platform platform, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var document = await GetRequiredAsync(reference, cancellationToken).ConfigureAwait(false);
        if (document.Manifest is { } single)
        {
            var config = await ReadConfigAsync(reference, single, cancellationToken).ConfigureAwait(false);
            if (!PlatformMatcher.IsCompatible(platform, config.Platform))
            {
                throw new NoMatchingPlatformException(platform, [config.Platform], reference);
            }

            var variant = new ImageVariant(config.Platform, document.Digest, document.Content.Length, document.MediaType);
            return new ResolvedImage(reference, null, variant, single, config);
        }

        var entries = document.Index!.Manifests;
        var best = PlatformMatcher.SelectBest(platform, entries)
            ?? throw new NoMatchingPlatformException(platform, [.. entries.Where(d => d.IsRunnable).Select(d => d.Platform!.Normalize())], reference);
        var chosen = ToVariant(best);
        var manifest = await GetVariantManifestAsync(reference, chosen, cancellationToken).ConfigureAwait(false);
        var chosenConfig = await ReadConfigAsync(reference, manifest, cancellationToken).ConfigureAwait(false);
        if (!PlatformMatcher.IsCompatible(chosen.Platform, chosenConfig.Platform))
        {
            RegistryLog.PlatformDisagrees(_logger, chosen.Digest.ToString(), reference.ToString(), chosen.Platform.ToString(), chosenConfig.Platform.ToString());
        }

        return new ResolvedImage(reference, document.Digest, chosen, manifest, chosenConfig);
    }

    /// <inheritdoc />
    public async Task<ImageConfig> GetConfigAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variant);
        var manifest = await GetVariantManifestAsync(reference, variant, cancellationToken).ConfigureAwait(false);
        return await ReadConfigAsync(reference, manifest, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ManifestDocument> GetRequiredAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return await _client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(reference);
    }

    private async Task<ImageManifest> GetVariantManifestAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken)
    {
        var pinned = reference.WithDigest(variant.Digest);
        var document = await GetRequiredAsync(pinned, cancellationToken).ConfigureAwait(false);
        return document.Manifest ?? throw new InvalidManifestException(pinned.ToString(), $"the index entry for {variant.Platform} is not an image manifest");
    }

    private async Task<ImageConfig> ReadConfigAsync(ImageReference reference, ImageManifest manifest, CancellationToken cancellationToken)
    {
        var content = await _client.GetBlobAsync(reference, manifest.Config.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(reference.WithDigest(manifest.Config.Digest));
        return ManifestSerializer.DeserializeConfig(content.Span, $"{reference.RepositoryName}@{manifest.Config.Digest}");
    }

    private static ImageVariant ToVariant(Descriptor descriptor) =>
        new(descriptor.Platform!.Normalize(), descriptor.Digest, descriptor.Size, descriptor.MediaType) { Hints = PlacementHints.FromDescriptor(descriptor) };
}
