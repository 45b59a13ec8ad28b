using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>Makes a source image's blobs present in the target repository: cross-repository mount, else copy.</summary>
internal sealed class BlobMounter
{
    private readonly IRegistryClient _client;

    public BlobMounter(IRegistryClient client)
    {
        _client = client;
    }

    public async Task EnsureAsync(ImageReference target, SourceImage source, CancellationToken cancellationToken)
    {
        if (source.Source.Repository == target.Repository)
        {
            return;
        }

        var manifest = source.Manifest.Manifest!;
        foreach (var blob in manifest.Layers.Prepend(manifest.Config).DistinctBy(d => d.Digest))
        {
            await EnsureBlobAsync(target, source.Source, blob, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureBlobAsync(ImageReference target, ImageReference source, Descriptor blob, CancellationToken cancellationToken)
    {
        // distribution answers a mount with 201 also when the target already has the blob: one request per blob.
        if (await _client.MountBlobAsync(target, blob.Digest, source.Repository, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var content = await _client.GetBlobAsync(source, blob.Digest, cancellationToken).ConfigureAwait(false)
            ?? throw new ManifestNotFoundException(source.WithDigest(blob.Digest));
        await _client.PushBlobAsync(target, blob.Digest, content, cancellationToken).ConfigureAwait(false);
    }
}
