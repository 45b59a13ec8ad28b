namespace Polyarch.Builder.Publishing;

/// <summary>One verified variant of a pushed index.</summary>
public sealed record PlatformDigest(string Platform, string Digest, long Size, string ConfigArchitecture);
