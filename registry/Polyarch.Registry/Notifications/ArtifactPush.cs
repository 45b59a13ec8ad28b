using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Notifications;

/// <summary>
/// A tag that now points at an OCI artifact: an image manifest whose config is not an image config (the empty
/// descriptor, or a type of its own). distribution's events name the config (with <c>includereferences</c>) but not the
/// manifest's <c>artifactType</c> or <c>subject</c>: <see cref="ArtifactType"/> is known from the event only when the
/// config carries it; <see cref="Artifacts.IArtifactStore.DescribePushAsync"/> reads the manifest for both.
/// </summary>
/// <param name="Registry">The registry (host:port) the push went to.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Tag">The tag that now points at the artifact.</param>
/// <param name="Digest">The artifact manifest's digest.</param>
/// <param name="MediaType">The manifest's media type.</param>
/// <param name="ConfigMediaType">The config descriptor's media type (<c>application/vnd.oci.empty.v1+json</c> for most artifacts).</param>
public sealed record ArtifactPush(string Registry, string Repository, string Tag, Digest Digest, string MediaType, string ConfigMediaType)
{
    /// <summary>
    /// The artifact type: the manifest's <c>artifactType</c>, else its config's media type. From an event alone it is the
    /// config's media type when that is not the empty descriptor, else null (unknown until described).
    /// </summary>
    public string? ArtifactType { get; init; } = ConfigMediaType == MediaTypes.OciEmpty ? null : ConfigMediaType;

    /// <summary>The manifest's <c>subject</c> (what it was derived from); only known once described.</summary>
    public Descriptor? Subject { get; init; }

    /// <summary>Whether the manifest has been read (<see cref="ArtifactType"/> and <see cref="Subject"/> are then final).</summary>
    public bool Described { get; init; }

    /// <summary>The pushed artifact as a reference pinned to its digest.</summary>
    public ImageReference ToReference() =>
        ImageReference.Parse($"{Registry}/{Repository}:{Tag}").WithDigest(Digest);
}
