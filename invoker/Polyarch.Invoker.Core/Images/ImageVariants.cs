namespace Polyarch.Invoker.Images;

/// <summary>An image reference resolved to its index digest and runnable variants (attestations skipped).</summary>
/// <param name="Image">The reference as given.</param>
/// <param name="RepositoryName">registry/repository, e.g. 127.0.0.1:5000/demo/echo, to pull repository@digest from.</param>
/// <param name="IndexDigest">The digest of the index (or of the single manifest).</param>
/// <param name="Variants">Runnable variants in index order.</param>
internal sealed record ImageVariants(string Image, string RepositoryName, string IndexDigest, IReadOnlyList<VariantInfo> Variants)
{
    public IEnumerable<string> Platforms => Variants.Select(v => v.Platform);
}
