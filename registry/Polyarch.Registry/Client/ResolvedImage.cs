using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>The variant chosen for a platform, with its manifest and config; IndexDigest is null for a single manifest.</summary>
public sealed record ResolvedImage(ImageReference Reference, Digest? IndexDigest, ImageVariant Variant, ImageManifest Manifest, ImageConfig Config)
{
    /// <summary>The reference pinned to the variant's manifest digest (what to run).</summary>
    public ImageReference Pinned => Reference.WithDigest(Variant.Digest);
}
