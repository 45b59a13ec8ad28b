using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polyarch.Registry.Http;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <content>Blobs and tags.</content>
internal sealed partial class RegistryClient
{
    /// <inheritdoc />
    public async Task<bool> BlobExistsAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        using var request = new HttpRequestMessage(HttpMethod.Head, _endpoints.Blob(repository, digest));
        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => false,
            _ when response.IsSuccessStatusCode => true,
            _ => throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <inheritdoc />
    public async Task<ReadOnlyMemory<byte>?> GetBlobAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        if (_cache.FindBlob(repository, digest) is { } cached)
        {
            return cached;
        }

        var uri = _endpoints.Blob(repository, digest);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await _sender.SendAsync(RegistryHttpClients.Blobs, request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await BoundedContent.ReadAsync(response.Content, _maxInMemoryBlobBytes, uri, cancellationToken).ConfigureAwait(false);
        Verify(uri, body, digest, HeaderDigest(response));
        _cache.StoreBlob(repository, digest, body);
        return body;
    }

    /// <inheritdoc />
    public async Task<bool> MountBlobAsync(ImageReference repository, Digest digest, string fromRepository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        var query = $"?mount={Uri.EscapeDataString(digest.ToString())}&from={Uri.EscapeDataString(fromRepository)}";
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoints.Uploads(repository, query)) { Content = new ByteArrayContent([]) };
        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return true;
        }

        if (response.StatusCode == HttpStatusCode.Accepted && response.Headers.Location is { } location)
        {
            // The registry opened an upload session instead of mounting: cancel it, the caller copies the blob.
            using var cancel = new HttpRequestMessage(HttpMethod.Delete, new Uri(request.RequestUri!, location));
            using var cancelled = await _sender.SendAsync(RegistryHttpClients.Manifests, cancel, cancellationToken).ConfigureAwait(false);
            return false;
        }

        throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task PushBlobAsync(ImageReference repository, Digest digest, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        if (!digest.Matches(content.Span))
        {
            throw new ContentDigestMismatchException(_endpoints.Blob(repository, digest), digest, Digest.Compute(content.Span, digest.Algorithm), "it is to be pushed as");
        }

        var upload = await StartUploadAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        using var put = new HttpRequestMessage(HttpMethod.Put, upload) { Content = new ReadOnlyMemoryContent(content) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _sender.SendAsync(RegistryHttpClients.Blobs, put, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>?> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return ListPagedAsync(_endpoints.Tags(repository), body => JsonSerializer.Deserialize(body, RegistryJsonContext.Default.TagList)?.Tags, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>?> ListRepositoriesAsync(string registry, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(registry);
        return ListPagedAsync(_endpoints.Catalog(registry), body => JsonSerializer.Deserialize(body, RegistryJsonContext.Default.RepositoryList)?.Repositories, cancellationToken);
    }

    // A paginated list (tags, catalog): every page, or null when the first answer is 404.
    private async Task<IReadOnlyList<string>?> ListPagedAsync(Uri first, Func<byte[], IReadOnlyList<string>?> parse, CancellationToken cancellationToken)
    {
        var items = new List<string>();
        Uri? next = first;
        while (next is not null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, next);
            using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
            }

            var body = await BoundedContent.ReadAsync(response.Content, BoundedContent.MaxManifestBytes, next, cancellationToken).ConfigureAwait(false);
            items.AddRange(parse(body) ?? []);
            next = NextPage(next, response);
        }

        return items;
    }

    // Pagination: Link: </v2/…/tags/list?last=x&n=1000>; rel="next" (the catalog likewise).
    private static Uri? NextPage(Uri current, HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }

        var link = links.FirstOrDefault(l => l.Contains("rel=\"next\"", StringComparison.Ordinal));
        var start = link?.IndexOf('<', StringComparison.Ordinal) ?? -1;
        var end = link?.IndexOf('>', StringComparison.Ordinal) ?? -1;
        return start >= 0 && end > start ? new Uri(current, link![(start + 1)..end]) : null;
    }
}
