using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>The referrers tag schema index of a subject could not be updated (it holds something else, or kept moving).</summary>
public sealed class ReferrersUpdateException : RegistryException
{
    public ReferrersUpdateException(ImageReference tag, Digest referrer, string reason)
        : base($"The referrers index {tag} could not list {referrer}: {reason}. The artifact itself was pushed; " +
               "push it again to retry the update, or move to a registry with the referrers API (distribution 3, zot, Harbor).")
    {
        Tag = tag;
        Referrer = referrer;
    }

    /// <summary>The referrers tag (<c>&lt;alg&gt;-&lt;hex&gt;</c>) that was to be updated.</summary>
    public ImageReference Tag { get; }

    /// <summary>The manifest that was to be listed.</summary>
    public Digest Referrer { get; }
}
