using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Client;

/// <summary>
/// A registry test double at the HttpMessageHandler boundary: serves manifests and blobs from memory
/// like distribution does (Docker-Content-Digest, ETag/If-None-Match → 304), records every request, and
/// lets a test put faults in front of it.
/// </summary>
internal sealed class FakeRegistryHandler : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, (byte[] Content, string MediaType)> _content = new();
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage?>> _faults = new();

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Serves content under /v2/{repository}/manifests/{tag} and /manifests/{digest}.</summary>
    public Digest AddManifest(string repository, string? tag, byte[] content, string mediaType)
    {
        var digest = Digest.Compute(content);
        _content[$"/v2/{repository}/manifests/{digest}"] = (content, mediaType);
        if (tag is not null)
        {
            _content[$"/v2/{repository}/manifests/{tag}"] = (content, mediaType);
        }

        return digest;
    }

    public Digest AddBlob(string repository, byte[] content)
    {
        var digest = Digest.Compute(content);
        _content[$"/v2/{repository}/blobs/{digest}"] = (content, "application/octet-stream");
        return digest;
    }

    /// <summary>Serves arbitrary bytes at a path (to lie about digests).</summary>
    public void Serve(string path, byte[] content, string mediaType) => _content[path] = (content, mediaType);

    /// <summary>The next request gets this answer (when it returns non-null) instead of the content.</summary>
    public void Fault(Func<HttpRequestMessage, HttpResponseMessage?> fault) => _faults.Enqueue(fault);

    public void Fault(HttpStatusCode status, Action<HttpResponseMessage>? configure = null) => Fault(_ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("""{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}""") };
        configure?.Invoke(response);
        return response;
    });

    /// <summary>The next request gets no answer at all until it is cancelled (a registry that hangs).</summary>
    public void FaultNoAnswer() => Fault(_ => NoAnswer);

    private static readonly HttpResponseMessage NoAnswer = new();

    private static async Task<HttpResponseMessage> HangAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        throw new InvalidOperationException("unreachable");
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!, request.Headers.Authorization, request.Headers.IfNoneMatch.ToString()));
        if (_faults.TryDequeue(out var fault) && fault(request) is { } faulted)
        {
            if (ReferenceEquals(faulted, NoAnswer))
            {
                return HangAsync(cancellationToken);
            }

            faulted.RequestMessage = request;
            return Task.FromResult(faulted);
        }

        if (!_content.TryGetValue(request.RequestUri!.AbsolutePath, out var entry))
        {
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound)
            {
                RequestMessage = request,
                Content = new StringContent("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""),
            });
        }

        var digest = Digest.Compute(entry.Content).ToString();
        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request };
        response.Headers.TryAddWithoutValidation("Docker-Content-Digest", digest);
        response.Headers.ETag = new EntityTagHeaderValue($"\"{digest}\"");
        if (request.Headers.IfNoneMatch.Any(e => e.Tag == $"\"{digest}\""))
        {
            response.StatusCode = HttpStatusCode.NotModified;
            return Task.FromResult(response);
        }

        response.Content = new ByteArrayContent(request.Method == HttpMethod.Head ? [] : entry.Content);
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(entry.MediaType);
        response.Content.Headers.ContentLength = entry.Content.Length;
        return Task.FromResult(response);
    }

    public sealed record RecordedRequest(HttpMethod Method, Uri Uri, AuthenticationHeaderValue? Authorization, string IfNoneMatch);
}
