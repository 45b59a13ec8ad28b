namespace Polyarch.Invoker.Images;

/// <summary>The invoker's view of a registry: an image's runnable variants and their labels.</summary>
internal interface IVariantCatalog
{
    /// <exception cref="ImageResolutionException">The image cannot be resolved.</exception>
    public Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken);
}
