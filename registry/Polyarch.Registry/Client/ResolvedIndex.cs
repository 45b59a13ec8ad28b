using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>What a reference resolved to: the digest of its index (or single manifest) and its runnable variants.</summary>
/// <param name="Reference">The reference as given.</param>
/// <param name="Digest">The digest of the index or manifest the reference points at.</param>
/// <param name="MediaType">Its media type.</param>
/// <param name="Variants">The runnable variants in index order (attestations and unknown platforms left out).</param>
public sealed record ResolvedIndex(ImageReference Reference, Digest Digest, string MediaType, IReadOnlyList<ImageVariant> Variants)
{
    /// <summary>The index's own annotations (e.g. the build's trace context, Indexes.TraceAnnotations), or null.</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
