using Polyarch.Registry.References;

namespace Polyarch.Registry.Notifications;

/// <summary>A tag that now points at an image (index or single manifest): the push that matters.</summary>
public sealed record ImagePush(string Registry, string Repository, string Tag, Digest Digest, string MediaType)
{
    /// <summary>The pushed image as a reference pinned to its digest.</summary>
    public ImageReference ToReference() =>
        ImageReference.Parse($"{Registry}/{Repository}:{Tag}").WithDigest(Digest);
}
