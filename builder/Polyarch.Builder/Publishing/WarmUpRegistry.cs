using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// The few calls of the OCI distribution API a build makes after its bake (manifests and blobs by tag or digest, a blob
/// upload, a manifest DELETE, the tags list), answered from memory as distribution answers them: the transport of
/// <see cref="Hosting.BuildRehearsal"/>, so the real registry client runs its whole path without a byte leaving the process.
/// Records the method and path of every request it answers.
/// </summary>
internal sealed partial class WarmUpRegistry : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, (byte[] Content, string MediaType)> _manifests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte[]> _blobs = new(StringComparer.Ordinal);

    /// <summary>Every request answered, as "METHOD /path".</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Stores a manifest under its digest and, when given, a tag.</summary>
    public Digest AddManifest(string repository, string? tag, byte[] content, string mediaType)
    {
        var digest = Digest.Compute(content);
        _manifests[$"{repository}@{digest}"] = (content, mediaType);
        if (tag is not null)
        {
            _manifests[$"{repository}:{tag}"] = (content, mediaType);
        }

        return digest;
    }

    /// <summary>Stores a blob under its digest.</summary>
    public Digest AddBlob(byte[] content)
    {
        var digest = Digest.Compute(content);
        _blobs[digest.ToString()] = content;
        return digest;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Answer later, as a socket does: every await above this one suspends, so the state machine boxes and continuations
        // of the whole path get compiled too — an answer completed at once would take only the synchronous fast path.
        await Task.Yield();
        var path = request.RequestUri!.AbsolutePath;
        Requests.Enqueue($"{request.Method} {path}");
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (path == "/v2/")
        {
            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        if (Route().Match(path) is not { Success: true } route)
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var (repository, kind, reference) = (route.Groups["name"].Value, route.Groups["kind"].Value, route.Groups["ref"].Value);
        return kind switch
        {
            "manifests" => Manifest(request, repository, reference, body),
            "blobs" when reference == "uploads/" && request.Method == HttpMethod.Post =>
                new HttpResponseMessage(HttpStatusCode.Accepted) { Headers = { Location = new Uri($"/v2/{repository}/blobs/uploads/{Guid.NewGuid():N}", UriKind.Relative) } },
            "blobs" when reference.StartsWith("uploads/", StringComparison.Ordinal) && request.Method == HttpMethod.Put => Upload(request, body),
            "blobs" => Blob(reference),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound), // tags/list of a repository nobody pushed to
        };
    }

    private HttpResponseMessage Manifest(HttpRequestMessage request, string repository, string reference, byte[] body)
    {
        var key = Digest.TryParse(reference, out _, out _) ? $"{repository}@{reference}" : $"{repository}:{reference}";
        if (request.Method == HttpMethod.Put)
        {
            var mediaType = request.Content?.Headers.ContentType?.MediaType ?? "application/vnd.oci.image.manifest.v1+json";
            var digest = AddManifest(repository, key.Contains('@', StringComparison.Ordinal) ? null : reference, body, mediaType);
            return new HttpResponseMessage(HttpStatusCode.Created) { Headers = { { "Docker-Content-Digest", digest.ToString() } } };
        }

        if (request.Method == HttpMethod.Delete)
        {
            return new HttpResponseMessage(_manifests.TryRemove(key, out _) ? HttpStatusCode.Accepted : HttpStatusCode.NotFound);
        }

        return _manifests.TryGetValue(key, out var found) ? Content(found.Content, found.MediaType) : new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    private HttpResponseMessage Upload(HttpRequestMessage request, byte[] body)
    {
        var query = request.RequestUri!.Query;
        var named = query.Split(['?', '&'], StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).FirstOrDefault(p => p.StartsWith("digest=", StringComparison.Ordinal));
        var digest = AddBlob(body);
        return named == $"digest={digest}"
            ? new HttpResponseMessage(HttpStatusCode.Created) { Headers = { { "Docker-Content-Digest", digest.ToString() } } }
            : new HttpResponseMessage(HttpStatusCode.BadRequest);
    }

    private HttpResponseMessage Blob(string digest) =>
        _blobs.TryGetValue(digest, out var blob) ? Content(blob, "application/octet-stream") : new HttpResponseMessage(HttpStatusCode.NotFound);

    private static HttpResponseMessage Content(byte[] content, string mediaType)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        response.Headers.Add("Docker-Content-Digest", Digest.Compute(content).ToString());
        return response;
    }

    [GeneratedRegex("^/v2/(?<name>.+?)/(?<kind>manifests|blobs|tags)/(?<ref>.+)$")]
    private static partial Regex Route();
}
