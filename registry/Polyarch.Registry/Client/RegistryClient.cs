using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Polyarch.Registry.Caching;
using Polyarch.Registry.Http;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <inheritdoc cref="IRegistryClient" />
internal sealed partial class RegistryClient : IRegistryClient
{
    private readonly RegistrySender _sender;
    private readonly RegistryEndpoints _endpoints;
    private readonly RegistryCache _cache;
    private readonly long _maxInMemoryBlobBytes;
    private readonly ILogger<RegistryClient> _logger;

    public RegistryClient(RegistrySender sender, RegistryEndpoints endpoints, RegistryCache cache, Microsoft.Extensions.Options.IOptions<RegistryOptions> options, ILogger<RegistryClient> logger)
    {
        _sender = sender;
        _endpoints = endpoints;
        _cache = cache;
        _maxInMemoryBlobBytes = options.Value.MaxInMemoryBlobBytes;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<Descriptor?> HeadManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var request = ManifestRequest(HttpMethod.Head, reference);
        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var digest = HeaderDigest(response) ?? reference.Digest
            ?? throw new RegistryRequestException(HttpMethod.Head, request.RequestUri!, response.StatusCode, "the answer has no Docker-Content-Digest header");
        return new Descriptor
        {
            MediaType = response.Content.Headers.ContentType?.MediaType ?? MediaTypes.OciManifest,
            Digest = digest,
            Size = response.Content.Headers.ContentLength ?? 0,
        };
    }

    /// <inheritdoc />
    public async Task<ManifestDocument?> GetManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Digest is { } pinned)
        {
            if (_cache.FindManifest(reference, pinned) is { } cached)
            {
                RegistryLog.Resolved(_logger, reference.ToString(), pinned.ToString(), "cache, pinned");
                return cached;
            }

            return await FetchManifestAsync(reference, known: null, cancellationToken).ConfigureAwait(false);
        }

        var tag = _cache.FindTag(reference);
        var known = tag is { } entry ? _cache.FindManifest(reference, entry.Digest) : null;
        if (known is not null && tag!.Value.Fresh)
        {
            RegistryLog.Resolved(_logger, reference.ToString(), known.Digest.ToString(), "cache, tag fresh");
            return known;
        }

        return await FetchManifestAsync(reference, known, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Digest> PutManifestAsync(ImageReference reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default) =>
        (await PutManifestWithSubjectAsync(reference, content, mediaType, cancellationToken).ConfigureAwait(false)).Digest;

    /// <summary>
    /// PUT of a manifest; also says whether the registry processed its <c>subject</c> (the <c>OCI-Subject</c> answer header
    /// of distribution spec 1.1). When it did not, the pusher maintains the referrers tag schema itself.
    /// </summary>
    internal async Task<(Digest Digest, bool SubjectProcessed)> PutManifestWithSubjectAsync(
        ImageReference reference, ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var uri = _endpoints.Manifest(reference, reference.ManifestReference);
        if (content.Length > BoundedContent.MaxManifestBytes)
        {
            throw new ContentTooLargeException(uri, BoundedContent.MaxManifestBytes, content.Length);
        }

        var document = ManifestDocument.Parse(content, mediaType, reference.ToString());
        using var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new ReadOnlyMemoryContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (HeaderDigest(response) is { } stored && stored != Digest.Compute(content.Span, stored.Algorithm))
        {
            throw new ContentDigestMismatchException(uri, stored, Digest.Compute(content.Span, stored.Algorithm), "the registry stored it as");
        }

        _cache.StoreManifest(reference, document);
        if (reference.Digest is null)
        {
            _cache.StoreTag(reference, document.Digest);
        }

        return (document.Digest, response.Headers.Contains("OCI-Subject"));
    }

    /// <inheritdoc />
    public async Task<bool> DeleteManifestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var request = new HttpRequestMessage(HttpMethod.Delete, _endpoints.Manifest(reference, reference.ManifestReference));
        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        if (reference.Tag is not null)
        {
            // Deleted by tag, or by a digest that took its tags along.
            _cache.ForgetTag(reference);
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    private async Task<ManifestDocument?> FetchManifestAsync(ImageReference reference, ManifestDocument? known, CancellationToken cancellationToken)
    {
        using var request = ManifestRequest(HttpMethod.Get, reference);
        if (known is not null)
        {
            // distribution answers 304 when the tag still points at this digest (its manifest ETag is the quoted digest).
            request.Headers.IfNoneMatch.Add(new EntityTagHeaderValue($"\"{known.Digest}\""));
        }

        using var response = await _sender.SendAsync(RegistryHttpClients.Manifests, request, cancellationToken).ConfigureAwait(false);
        var uri = request.RequestUri!;
        if (response.StatusCode == HttpStatusCode.NotModified && known is not null)
        {
            _cache.StoreTag(reference, known.Digest);
            RegistryLog.Resolved(_logger, reference.ToString(), known.Digest.ToString(), "304 not modified");
            return known;
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await RegistrySender.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await BoundedContent.ReadAsync(response.Content, BoundedContent.MaxManifestBytes, uri, cancellationToken).ConfigureAwait(false);
        var digest = Verify(uri, body, reference.Digest, HeaderDigest(response));
        var document = ManifestDocument.Parse(body, response.Content.Headers.ContentType?.MediaType, reference.ToString(), digest);
        _cache.StoreManifest(reference, document);
        if (reference.Digest is null)
        {
            _cache.StoreTag(reference, digest);
        }

        RegistryLog.Resolved(_logger, reference.ToString(), digest.ToString(), "registry");
        return document;
    }

    /// <summary>Checks the bytes against the requested digest and the announced one; returns the content's digest.</summary>
    private static Digest Verify(Uri uri, ReadOnlySpan<byte> body, Digest? requested, Digest? announced)
    {
        if (requested is not null && !requested.Matches(body))
        {
            throw new ContentDigestMismatchException(uri, requested, Digest.Compute(body, requested.Algorithm), "it was requested by");
        }

        if (announced is not null && !announced.Matches(body))
        {
            throw new ContentDigestMismatchException(uri, announced, Digest.Compute(body, announced.Algorithm), "the Docker-Content-Digest header says");
        }

        return requested ?? announced ?? Digest.Compute(body);
    }

    private HttpRequestMessage ManifestRequest(HttpMethod method, ImageReference reference)
    {
        var request = new HttpRequestMessage(method, _endpoints.Manifest(reference, reference.ManifestReference));
        foreach (var mediaType in MediaTypes.AllManifests)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
        }

        return request;
    }

    private static Digest? HeaderDigest(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Docker-Content-Digest", out var values)
        && Digest.TryParse(values.FirstOrDefault(), out var digest, out _)
            ? digest
            : null;
}
