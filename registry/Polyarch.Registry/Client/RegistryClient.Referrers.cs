using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polyarch.Registry.Http;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <content>The referrers API of distribution spec 1.1.</content>
internal sealed partial class RegistryClient
{
    /// <inheritdoc />
    public async Task<ImageIndex?> GetReferrersAsync(ImageReference repository, Digest subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(subject);
        var referrers = new List<Descriptor>();
        Uri? next = _endpoints.Referrers(repository, subject, artifactType);
        var first = true;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypes.OciIndex));
            using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
            // A registry with the API never answers 404 (spec "Listing Referrers"): 404 means it has none, e.g. distribution 2.8.
            if (first && response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await BoundedContent.ReadAsync(response.Content, BoundedContent.MaxManifestBytes, next, cancellationToken).ConfigureAwait(false);
            ImageIndex? page;
            try
            {
                page = JsonSerializer.Deserialize(body, ManifestJsonContext.Default.ImageIndex);
            }
            catch (JsonException exception)
            {
                throw new InvalidManifestException(next.ToString(), $"the referrers answer is not an image index ({exception.Message})", exception);
            }

            referrers.AddRange(page?.Manifests ?? []);
            next = NextPage(next, response);
            first = false;
        }

        // OCI-Filters-Applied is optional: filtering here as well makes the answer the same either way.
        return new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [.. referrers.Where(d => artifactType is null || d.ArtifactType == artifactType)],
        };
    }
}
