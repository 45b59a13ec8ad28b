using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>An index that was written: where, its digest and media type, and its runnable children.</summary>
public sealed record AssembledIndex(ImageReference Reference, Digest Digest, string MediaType, long Size, IReadOnlyList<AssembledChild> Children);
