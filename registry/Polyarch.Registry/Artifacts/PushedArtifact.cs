using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>What a push stored: the manifest and, for an artifact with a subject, where its referrers entry went.</summary>
/// <param name="Reference">The artifact pinned to its digest (with the tag, when pushed by tag).</param>
/// <param name="Descriptor">The manifest's descriptor, with artifactType and annotations as a referrers list carries it.</param>
/// <param name="ReferrersTag">The referrers tag schema index (<c>&lt;alg&gt;-&lt;hex&gt;</c>) now listing it; null without a subject or when the registry's referrers API took the subject.</param>
/// <param name="ReferrersIndexDigest">The digest of that index after the update.</param>
public sealed record PushedArtifact(ImageReference Reference, Descriptor Descriptor, ImageReference? ReferrersTag, Digest? ReferrersIndexDigest)
{
    /// <summary>The manifest's digest.</summary>
    public Digest Digest => Descriptor.Digest;
}
