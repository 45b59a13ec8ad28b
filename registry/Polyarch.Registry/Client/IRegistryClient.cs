using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>The OCI Distribution API: manifests, blobs and tags. A 404 is an answer (null/false), not an error.</summary>
public interface IRegistryClient
{
    /// <summary>HEAD of a manifest by tag or digest: its media type, digest and size, or null when absent.</summary>
    public Task<Descriptor?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// GET of a manifest by tag or digest, verified against its digest, or null when absent. By digest it is
    /// served from the cache when present; by tag a fresh cached answer costs nothing and a stale one a
    /// conditional request.
    /// </summary>
    public Task<ManifestDocument?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>PUT of a manifest under the reference's tag (or digest); returns the digest the registry stored.</summary>
    public Task<Digest> PutManifestAsync(ImageReference reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default);

    /// <summary>
    /// DELETE of a manifest by digest or — where the registry supports it (OCI distribution spec 1.1, distribution 3) —
    /// of a tag alone; true when deleted (202), false when absent (404). Deleting by digest also removes every tag that
    /// points at it. A registry that refuses (deletes disabled: 405 UNSUPPORTED; a tag on distribution 2.8: 400
    /// DIGEST_INVALID) throws <see cref="RegistryRequestException"/> with its status.
    /// </summary>
    public Task<bool> DeleteManifestAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>Whether the repository of <paramref name="repository"/> has a blob.</summary>
    public Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>A blob read into memory and verified against its digest (for configs), or null when absent.</summary>
    public Task<ReadOnlyMemory<byte>?> GetBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default);

    /// <summary>Mounts a blob from another repository of the same registry; false when the registry would not mount it.</summary>
    public Task<bool> MountBlobAsync(ImageReference repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default);

    /// <summary>Uploads a blob in one request (monolithic upload).</summary>
    public Task PushBlobAsync(ImageReference repository, Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uploads a blob from a stream unless the repository has it already (a HEAD first): one POST and one streaming PUT
    /// (monolithic upload), never read into memory. The registry checks the bytes against <paramref name="digest"/> and
    /// refuses them (400 DIGEST_INVALID) when they differ. True when uploaded, false when it was already there.
    /// </summary>
    public Task<bool> PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Streams a blob into <paramref name="destination"/>, verified against its digest as it is read; false when absent.
    /// More than <paramref name="maxBytes"/> (announced or read) is refused with <see cref="ContentTooLargeException"/>; on
    /// that or a <see cref="ContentDigestMismatchException"/> what was written so far is incomplete and must be discarded.
    /// </summary>
    public Task<bool> PullBlobAsync(ImageReference repository, Digest digest, Stream destination, long maxBytes, CancellationToken cancellationToken = default);

    /// <summary>
    /// The referrers API (OCI distribution spec 1.1): the descriptors of the manifests whose <c>subject</c> is
    /// <paramref name="subject"/>, every page, filtered by <paramref name="artifactType"/> when given (here too if the
    /// registry does not filter). Null when the registry has no referrers API (404, as distribution 2.8): then the
    /// referrers tag schema holds them (see <see cref="Artifacts.IArtifactStore.ListReferrersAsync"/>).
    /// </summary>
    public Task<ImageIndex?> GetReferrersAsync(ImageReference repository, Digest subject, string? artifactType = null, CancellationToken cancellationToken = default);

    /// <summary>The tags of a repository, or null when the repository does not exist.</summary>
    public Task<IReadOnlyList<string>?> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default);

    /// <summary>
    /// The repositories of a registry (its catalog, every page), or null when the registry does not serve a catalog
    /// (404) — then only repositories known by name can be listed.
    /// </summary>
    public Task<IReadOnlyList<string>?> ListRepositoriesAsync(string registry, CancellationToken cancellationToken = default);
}
