using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Testing.Fakes;

/// <summary>A catalog that knows one image (unit tests of the invoker's core; the registry is tested for real elsewhere).</summary>
internal sealed class FixedCatalog(ImageVariants image) : IVariantCatalog
{
    public Task<ImageVariants> GetAsync(string image1, CancellationToken cancellationToken) =>
        image1 == image.Image ? Task.FromResult(image) : throw new ImageResolutionException(image1, $"{image1} is not {image.Image}", dependencyUnavailable: false);
}
