namespace Polyarch.Builder.Publishing;

/// <summary>An index read back from the registry with every requested platform present, runnable and of the right architecture.</summary>
public sealed record VerifiedImage(string Repository, string IndexDigest, string MediaType, IReadOnlyList<PlatformDigest> Platforms);
