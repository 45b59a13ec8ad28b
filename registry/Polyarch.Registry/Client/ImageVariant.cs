using Polyarch.Registry.Placement;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>One runnable variant of an image: its (normalised) platform and its manifest's digest.</summary>
public sealed record ImageVariant(Platform Platform, Digest Digest, long Size, string MediaType)
{
    /// <summary>
    /// The placement labels the index entry carries as annotations (an index the builder pushed), or null when it
    /// carries none and the labels must be read from the variant's config.
    /// </summary>
    public PlacementHints? Hints { get; init; }
}
