using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>`docker manifest create` done right: assembles per-architecture images into one index.</summary>
public interface IIndexAssembler
{
    /// <summary>
    /// Writes an index under <paramref name="target"/> from per-architecture sources of the same registry
    /// (single-platform manifests, or indexes holding one runnable image plus attestations): mounts their
    /// blobs, copies their manifests by digest, then pushes the index by tag.
    /// </summary>
    public Task<AssembledIndex> CreateAsync(ImageReference target, IReadOnlyList<ImageReference> sources, IndexAnnotations? annotations = null, CancellationToken cancellationToken = default);

    /// <summary>Adds one per-architecture source to the index under <paramref name="target"/> (creating it when absent).</summary>
    public Task<AssembledIndex> AppendAsync(ImageReference target, ImageReference source, IndexAnnotations? annotations = null, CancellationToken cancellationToken = default);
}
