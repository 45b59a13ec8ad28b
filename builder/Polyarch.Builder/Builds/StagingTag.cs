namespace Polyarch.Builder.Builds;

/// <summary>A build's staging tag in one repository and the verified index it points at (never deleted with it).</summary>
internal sealed record StagingTag(string Registry, string Repository, string Tag, string VerifiedDigest);
