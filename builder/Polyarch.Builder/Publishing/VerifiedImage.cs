using Polyarch.Registry.Placement;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>An index read back from the registry with every requested platform present, runnable and of the right architecture.</summary>
public sealed record VerifiedImage(string Repository, string IndexDigest, string MediaType, IReadOnlyList<PlatformDigest> Platforms)
{
    /// <summary>The placement labels of each verified variant's config, by the variant's digest (what the index entries should carry).</summary>
    public IReadOnlyDictionary<Digest, PlacementHints> Hints { get; init; } = new Dictionary<Digest, PlacementHints>();
}
