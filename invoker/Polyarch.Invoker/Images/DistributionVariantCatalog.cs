using System.Net;
using System.Net.Http.Headers;
using Polyarch.Registry;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Images;

/// <summary>
/// Interim catalog over the registry model (until the registry library's IImageResolver lands): GETs the
/// index, keeps runnable variants, reads each variant's config for its labels. Plain HTTP for loopback
/// registries, HTTPS otherwise; no credentials.
/// </summary>
internal sealed class DistributionVariantCatalog(HttpClient http) : IVariantCatalog
{
    private static readonly string[] ManifestTypes =
        [MediaTypes.OciIndex, MediaTypes.DockerManifestList, MediaTypes.OciManifest, MediaTypes.DockerManifest];

    public async Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var error))
        {
            throw new ImageResolutionException(image, $"'{image}' is not an image reference: {error}", dependencyUnavailable: false);
        }

        try
        {
            var top = await GetManifestAsync(reference!, reference!.ManifestReference, cancellationToken)
                ?? throw new ImageResolutionException(image, $"The registry {reference.Registry} has no manifest for {reference}. Push it first (docker buildx bake --push) or check the tag.", dependencyUnavailable: false);
            var variants = new List<VariantInfo>();
            if (top.Index is { } index)
            {
                foreach (var descriptor in index.Manifests.Where(d => d.IsRunnable && d.Platform is not null))
                {
                    var child = await GetManifestAsync(reference, descriptor.Digest.ToString(), cancellationToken);
                    if (child?.Manifest is null)
                    {
                        continue;
                    }

                    var config = await GetConfigAsync(reference, child.Manifest.Config.Digest, cancellationToken);
                    variants.Add(new VariantInfo(descriptor.Platform!.Normalize().ToString(), descriptor.Digest.ToString(), Labels(config)));
                }
            }
            else if (top.Manifest is { } manifest)
            {
                var config = await GetConfigAsync(reference, manifest.Config.Digest, cancellationToken);
                variants.Add(new VariantInfo(config.Platform.ToString(), top.Digest.ToString(), Labels(config)));
            }

            return new ImageVariants(image, reference.RepositoryName, top.Digest.ToString(), variants);
        }
        catch (HttpRequestException exception)
        {
            throw new ImageResolutionException(image, $"The registry {reference!.Registry} is unavailable ({exception.Message}). Start it (./scripts/host.sh up) or check the address.", dependencyUnavailable: true, exception);
        }
        catch (RegistryException exception)
        {
            throw new ImageResolutionException(image, $"The registry answered something unreadable for {image}: {exception.Message}", dependencyUnavailable: false, exception);
        }
    }

    private static IReadOnlyDictionary<string, string> Labels(ImageConfig config) =>
        config.Config?.Labels ?? new Dictionary<string, string>();

    private static Uri BaseUri(ImageReference reference)
    {
        var host = reference.Registry;
        var loopback = host.StartsWith("127.", StringComparison.Ordinal) || host.StartsWith("localhost", StringComparison.Ordinal) || host.StartsWith("[::1]", StringComparison.Ordinal);
        return new Uri($"{(loopback ? "http" : "https")}://{host}/v2/{reference.Repository}/");
    }

    private async Task<ManifestDocument?> GetManifestAsync(ImageReference reference, string manifestReference, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri(reference), $"manifests/{manifestReference}"));
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return ManifestDocument.Parse(content, response.Content.Headers.ContentType?.ToString(), $"{reference.RepositoryName}@{manifestReference}");
    }

    private async Task<ImageConfig> GetConfigAsync(ImageReference reference, Digest digest, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(BaseUri(reference), $"blobs/{digest}"), cancellationToken);
        response.EnsureSuccessStatusCode();
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!digest.Matches(content))
        {
            throw new HttpRequestException($"config blob {digest} does not match its digest");
        }

        return ManifestSerializer.DeserializeConfig(content, $"{reference.RepositoryName}@{digest}");
    }
}
