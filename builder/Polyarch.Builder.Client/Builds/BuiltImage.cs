using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Builds;

/// <summary>One verified index a build produced (one per bake target).</summary>
public sealed record BuiltImage(string Target, string Registry, string Repository, string IndexDigest, IReadOnlyList<string> Tags, IReadOnlyList<PlatformDigest> Platforms)
{
    /// <summary>The index pinned by digest, e.g. 127.0.0.1:5000/demo/echo@sha256:….</summary>
    public string Reference => $"{Registry}/{Repository}@{IndexDigest}";
}
