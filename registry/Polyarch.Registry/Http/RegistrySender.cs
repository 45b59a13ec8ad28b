using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Polyarch.Registry.Auth;
using Polyarch.Registry.Client;

namespace Polyarch.Registry.Http;

/// <summary>Sends registry requests through the named clients and turns transport failures into registry errors.</summary>
internal sealed class RegistrySender
{
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILogger<RegistrySender> _logger;

    public RegistrySender(IHttpClientFactory httpClientFactory, ILogger<RegistrySender> logger)
    {
        _httpClientFactory = httpClientFactory;
        _logger = logger;
    }

    public async Task<HttpResponseMessage> SendAsync(string clientName, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var url = request.RequestUri!;
        var registry = new Uri(url.GetLeftPart(UriPartial.Authority) + "/");
        var client = _httpClientFactory.CreateClient(clientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw TransportFailure.Describe(registry, request.Method, url, exception);
        }
        catch (Exception exception) when (exception is TimeoutRejectedException or BrokenCircuitException or TimeoutException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new RegistryUnavailableException(registry, $"{request.Method} {url} did not succeed in time ({exception.Message})", exception);
        }

        RegistryLog.Response(_logger, request.Method, url, (int)response.StatusCode);
        if (response.StatusCode == HttpStatusCode.BadRequest && url.Scheme == Uri.UriSchemeHttp
            && await TransportFailure.IsHttpsServerAsync(response, cancellationToken).ConfigureAwait(false))
        {
            response.Dispose();
            throw TransportFailure.PlainHttpToHttpsServer(registry, request.Method, url);
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // The resilience handler already retried: the registry keeps failing.
            var status = response.StatusCode;
            var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            response.Dispose();
            throw new RegistryUnavailableException(
                registry, $"{request.Method} {url} kept failing with {(int)status} {status}{(error is null ? string.Empty : ": " + error)}");
        }

        return response;
    }

    public static async Task<RegistryRequestException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var request = response.RequestMessage!;
        var error = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
        request.Options.TryGetValue(RegistryAuthHandler.AdviceKey, out var advice);
        return new RegistryRequestException(request.Method, request.RequestUri!, response.StatusCode, error, advice);
    }

    private static async Task<string?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await BoundedContent.ReadAsync(response.Content, 64 * 1024, response.RequestMessage!.RequestUri!, cancellationToken).ConfigureAwait(false);
            var body = JsonSerializer.Deserialize(bytes, RegistryJsonContext.Default.RegistryErrorBody);
            return body?.Errors is { Count: > 0 } errors ? string.Join("; ", errors.Select(e => $"{e.Code} {e.Message}")) : null;
        }
        catch (Exception exception) when (exception is JsonException or RegistryException or HttpRequestException or IOException)
        {
            return null;
        }
    }
}
