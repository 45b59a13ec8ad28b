using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Images;

/// <summary>The invoker's catalog over the registry library: the index's runnable variants and each variant's config labels.</summary>
internal sealed class RegistryVariantCatalog(IImageResolver resolver) : IVariantCatalog
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = new Dictionary<string, string>();

    public async Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new ImageResolutionException(image, $"'{image}' is not an image reference ({error}); use e.g. 127.0.0.1:5000/demo/echo:latest.", dependencyUnavailable: false);
        }

        try
        {
            var index = await resolver.ResolveAsync(reference!, cancellationToken);
            var variants = new List<VariantInfo>(index.Variants.Count);
            foreach (var variant in index.Variants)
            {
                var config = await resolver.GetConfigAsync(reference!, variant, cancellationToken);
                variants.Add(new VariantInfo(variant.Platform.ToString(), variant.Digest.ToString(), config.Config?.Labels ?? NoLabels));
            }

            return new ImageVariants(image, reference!.RepositoryName, index.Digest.ToString(), variants);
        }
        catch (RegistryUnavailableException exception)
        {
            throw new ImageResolutionException(image, exception.Message, dependencyUnavailable: true, exception);
        }
        catch (RegistryException exception)
        {
            throw new ImageResolutionException(image, exception.Message, dependencyUnavailable: false, exception);
        }
    }
}
