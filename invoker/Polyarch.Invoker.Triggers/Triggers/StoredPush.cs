using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// A push as stored: its row id, where it came from (webhook or reconcile) and how often it was tried, when it arrived
/// (Unix ms), and for an OCI artifact the media type of its config (null for an image).
/// </summary>
internal sealed record StoredPush(long Id, ImagePush Push, string Source, int Attempts, long Received, string? ConfigMediaType = null)
{
    /// <summary>The push as an artifact push, or null for an image push.</summary>
    public ArtifactPush? Artifact => ConfigMediaType is { } config
        ? new ArtifactPush(Push.Registry, Push.Repository, Push.Tag, Push.Digest, Push.MediaType, config)
        : null;
}
