using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>Reads a source reference down to its one runnable image manifest and that image's platform.</summary>
internal sealed class SourceReader
{
    private readonly IRegistryClient _client;

    public SourceReader(IRegistryClient client)
    {
        _client = client;
    }

    public async Task<SourceImage> ReadAsync(ImageReference source, CancellationToken cancellationToken)
    {
        var document = await _client.GetManifestAsync(source, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(source);
        if (document.Index is { } index)
        {
            // buildx's default output: one image plus attestation manifests (platform unknown/unknown).
            var runnable = index.Manifests.Where(d => d.IsRunnable).ToList();
            if (runnable.Count != 1)
            {
                var platforms = runnable.Count == 0 ? "none" : string.Join(", ", runnable.Select(d => d.Platform));
                throw new IndexAssemblyException(
                    $"Source {source} is an index with {runnable.Count} runnable images ({platforms}); each source must be one " +
                    "per-architecture image. Name the per-architecture images (or their digests) instead.");
            }

            var pinned = source.WithDigest(runnable[0].Digest);
            document = await _client.GetManifestAsync(pinned, cancellationToken).ConfigureAwait(false)
                ?? throw new ManifestNotFoundException(pinned);
        }

        var manifest = document.Manifest
            ?? throw new IndexAssemblyException($"Source {source} points at a nested index; give the per-architecture image instead.");
        var config = await _client.GetBlobAsync(source, manifest.Config.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(source.WithDigest(manifest.Config.Digest));
        var platform = ManifestSerializer.DeserializeConfig(config.Span, $"{source.RepositoryName}@{manifest.Config.Digest}").Platform;
        if (platform.IsUnknown)
        {
            throw new IndexAssemblyException($"Source {source} has no os/architecture in its config; it cannot be placed in an index.");
        }

        return new SourceImage(source, document, platform);
    }
}
