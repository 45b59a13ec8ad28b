using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Polyarch.Registry.Http;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <content>Blobs as streams: uploads and downloads that never hold the whole blob in memory.</content>
internal sealed partial class RegistryClient
{
    /// <inheritdoc />
    public async Task<bool> PushBlobAsync(ImageReference repository, Digest digest, long size, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (await BlobExistsAsync(repository, digest, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var upload = await StartUploadAsync(repository, digest, cancellationToken).ConfigureAwait(false);
        // StreamContent rewinds a seekable stream when the resilience handler sends the PUT again after a transient failure.
        using var put = new HttpRequestMessage(HttpMethod.Put, upload) { Content = new StreamContent(content, 81920) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        put.Content.Headers.ContentLength = size;
        using var response = await _sender.SendAsync(RegistryHttpClients.Blobs, put, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <inheritdoc />
    public async Task<bool> PullBlobAsync(ImageReference repository, Digest digest, Stream destination, long maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(digest);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var uri = _endpoints.Blob(repository, digest);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await _sender.SendAsync(RegistryHttpClients.Blobs, request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var announced = response.Content.Headers.ContentLength;
        if (announced > maxBytes)
        {
            throw TooLarge(uri, maxBytes, announced, read: false);
        }

        using var hash = IncrementalHash.CreateHash(digest.Algorithm == Digest.Sha512 ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256);
        var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw TooLarge(uri, maxBytes, announced, read: true);
                }

                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }

        var actual = Digest.Parse($"{digest.Algorithm}:{Convert.ToHexStringLower(hash.GetHashAndReset())}");
        if (actual != digest)
        {
            throw new ContentDigestMismatchException(uri, digest, actual, "it was requested by");
        }

        return true;
    }

    // POST /v2/<name>/blobs/uploads/ → the session URL, with ?digest= added for the monolithic PUT.
    private async Task<Uri> StartUploadAsync(ImageReference repository, Digest digest, CancellationToken cancellationToken)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, _endpoints.Uploads(repository)) { Content = new ByteArrayContent([]) };
        using var started = await _sender.SendAsync(RegistryHttpClients.Manifests, start, cancellationToken).ConfigureAwait(false);
        if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is not { } location)
        {
            throw await RegistrySender.FailureAsync(started, cancellationToken).ConfigureAwait(false);
        }

        var upload = new UriBuilder(new Uri(start.RequestUri!, location));
        upload.Query = (upload.Query.Length > 1 ? upload.Query[1..] + "&" : string.Empty) + "digest=" + Uri.EscapeDataString(digest.ToString());
        return upload.Uri;
    }

    private static ContentTooLargeException TooLarge(Uri url, long limit, long? announced, bool read) =>
        new(url, limit, announced,
            (read ? "reading stopped there and what was written is incomplete: discard it. " : "it was not read. ")
            + "Raise the size cap if a blob this large is expected, or check that the digest names the blob you meant.");
}
