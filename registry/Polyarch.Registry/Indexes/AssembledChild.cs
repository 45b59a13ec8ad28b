using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>One child of an assembled index: the source it came from, its platform (from its config) and manifest.</summary>
public sealed record AssembledChild(ImageReference Source, Platform Platform, Digest Digest, string MediaType, long Size);
