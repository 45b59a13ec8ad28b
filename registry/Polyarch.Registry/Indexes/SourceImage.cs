using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>A per-architecture source: the single image manifest it stands for and the platform its config declares.</summary>
internal sealed record SourceImage(ImageReference Source, ManifestDocument Manifest, Platform Platform)
{
    public Descriptor ToEntry() => Manifest.ToDescriptor() with { Platform = Platform };

    public AssembledChild ToChild() => new(Source, Platform, Manifest.Digest, Manifest.MediaType, Manifest.Content.Length);
}
