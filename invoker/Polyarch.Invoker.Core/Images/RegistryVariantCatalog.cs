using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Images;

/// <summary>
/// The invoker's catalog over the registry library: the index's runnable variants and the labels placement reads. An
/// index the builder pushed carries them on each child descriptor (<c>io.polyarch.placement</c> annotations): then the
/// index alone places (1 request cold); only a variant without them — an image built elsewhere — costs its manifest
/// and config (index → manifest → config).
/// </summary>
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

            // The variants without hints read their manifest and config all at once: an image built elsewhere costs the
            // index plus one manifest → config chain's time, not one chain per platform (issue 18 P7's first push).
            var variants = await Task.WhenAll(index.Variants.Select(async variant =>
            {
                var labels = variant.Hints is { } hints
                    ? hints.Labels
                    : (await resolver.GetConfigAsync(reference!, variant, cancellationToken).ConfigureAwait(false)).Config?.Labels ?? NoLabels;
                return new VariantInfo(variant.Platform.ToString(), variant.Digest.ToString(), labels);
            })).ConfigureAwait(false);

            return new ImageVariants(image, reference!.RepositoryName, index.Digest.ToString(), variants)
            {
                TraceParent = index.Annotations?.GetValueOrDefault(Polyarch.Registry.Indexes.TraceAnnotations.TraceParent),
            };
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
