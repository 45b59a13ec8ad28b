using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>
/// OCI 1.1 artifacts in a registry: files pushed as one image manifest with an <c>artifactType</c>, the empty config
/// and one titled layer per file, optionally derived from a <c>subject</c>; pulled back to files; and the referrers of a
/// manifest, from the referrers API or — on registries without it, such as distribution 2.8 — the referrers tag schema,
/// which a push with a subject maintains.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Pushes an artifact under the tag of <paramref name="target"/> (its blobs first, skipping those present).</summary>
    public Task<PushedArtifact> PushAsync(ImageReference target, ArtifactSpec artifact, CancellationToken cancellationToken = default);

    /// <summary>Pushes an artifact by digest only, untagged (reachable by digest and, with a subject, as a referrer).</summary>
    public Task<PushedArtifact> PushUntaggedAsync(ImageReference repository, ArtifactSpec artifact, CancellationToken cancellationToken = default);

    /// <summary>The artifact manifest a tag or digest names, or null when absent; <see cref="InvalidArtifactException"/> for an index.</summary>
    public Task<ArtifactManifest?> GetAsync(ImageReference reference, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes every titled layer of an artifact into <paramref name="directory"/> (created 0700 if missing, files 0600),
    /// each verified against its digest and written under its title only once complete. Titles with a path separator,
    /// <c>..</c> or a control character are refused before anything is written.
    /// </summary>
    public Task<IReadOnlyList<PulledFile>> PullAsync(ImageReference reference, string directory, ArtifactPullOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The referrers of a manifest (tag or digest): the referrers API when the registry has one, else the referrers tag
    /// schema index; only those of <paramref name="artifactType"/> when given. Empty when there are none.
    /// </summary>
    public Task<IReadOnlyList<Descriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the manifest of an artifact push (from a registry notification) for its artifactType and subject.</summary>
    public Task<ArtifactPush> DescribePushAsync(ArtifactPush push, CancellationToken cancellationToken = default);
}
