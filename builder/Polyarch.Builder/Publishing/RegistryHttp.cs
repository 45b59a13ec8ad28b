using System.Net;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// HTTP to an OCI distribution registry with retries of transient 5xx answers (distribution 2.8.2 sometimes
/// answers HTTP 500 "invalid checksum digest format" while the engine pushes; see container-host.md).
/// </summary>
internal sealed class RegistryHttp(HttpClient http, IOptions<BuilderOptions> options, TimeProvider time)
{
    private readonly int _retries = options.Value.PushRetries;
    private readonly TimeSpan _delay = options.Value.PushRetryDelay;
    private readonly HashSet<string> _insecure = new(options.Value.InsecureRegistries, StringComparer.OrdinalIgnoreCase);

    public Uri BaseUri(string registry)
    {
        var host = registry.Split(':')[0];
        var plain = host is "localhost" or "::1" or "[::1]" || host.StartsWith("127.", StringComparison.Ordinal) || _insecure.Contains(registry);
        return new Uri($"{(plain ? "http" : "https")}://{registry}/");
    }

    /// <summary>GET /v2/ once (no retries): any HTTP answer means the registry is up.</summary>
    public async Task PingAsync(string registry, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUri(registry), "v2/");
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await http.GetAsync(uri, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is HttpRequestException || exception is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"The registry {registry} does not answer {uri} ({exception.Message}). Start it (./scripts/host.sh up) or pass the right --registry / Builder:Registry.", exception);
        }
    }

    public async Task<(byte[] Content, string MediaType)?> GetAsync(string registry, string path, string accept, Action<string> onRetry, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUri(registry), path));
            request.Headers.TryAddWithoutValidation("Accept", accept);
            return request;
        }, registry, onRetry, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, registry, path, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return (content, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    public async Task PutAsync(string registry, string path, byte[] content, string mediaType, Action<string> onRetry, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() =>
        {
            var body = new ByteArrayContent(content);
            body.Headers.TryAddWithoutValidation("Content-Type", mediaType);
            return new HttpRequestMessage(HttpMethod.Put, new Uri(BaseUri(registry), path)) { Content = body };
        }, registry, onRetry, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, registry, path, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, string registry, Action<string> onRetry, CancellationToken cancellationToken)
    {
        var delay = _delay;
        for (var attempt = 0; ; attempt++)
        {
            using var request = create();
            try
            {
                var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode < 500 || attempt >= _retries)
                {
                    return response;
                }

                onRetry($"{request.Method} {request.RequestUri} answered HTTP {(int)response.StatusCode}; retry {attempt + 1}/{_retries} after {delay.TotalSeconds:0.#} s");
                response.Dispose();
            }
            catch (HttpRequestException exception) when (attempt < _retries)
            {
                onRetry($"{request.Method} {request.RequestUri} failed ({exception.Message}); retry {attempt + 1}/{_retries} after {delay.TotalSeconds:0.#} s");
            }
            catch (HttpRequestException exception)
            {
                throw new DependencyUnavailableException($"The registry {registry} does not answer ({exception.Message}). Start it (./scripts/host.sh up) or check Builder:Registry.", exception);
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay *= 2;
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string registry, string path, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = $"The registry {registry} answered HTTP {(int)response.StatusCode} to /{path}: {body[..Math.Min(body.Length, 300)]}";
        throw (int)response.StatusCode >= 500
            ? new DependencyUnavailableException(message + ". It kept failing after retries; check the registry's log.")
            : new BuildFailedException(message + ". Check the repository name and the registry's permissions.");
    }
}
