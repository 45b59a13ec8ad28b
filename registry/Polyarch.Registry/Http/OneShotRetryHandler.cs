using System.Net;
using Microsoft.Extensions.Logging;

namespace Polyarch.Registry.Http;

/// <summary>
/// <see cref="RegistryHttpPipeline.OneShot"/>: what the standard resilience handler does for one request — retry transient
/// failures (connection errors, attempt timeouts, 5xx, 408, 429) with exponential backoff or the registry's Retry-After,
/// each attempt and the whole request bounded in time — without its circuit breaker, limiter and telemetry.
/// </summary>
internal sealed class OneShotRetryHandler(TimeSpan attemptTimeout, TimeSpan totalTimeout, int maxRetries, TimeSpan baseDelay, TimeProvider time, ILogger logger)
    : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var total = new CancellationTokenSource(totalTimeout, time);
        using var whole = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, total.Token);
        for (var attempt = 0; ; attempt++)
        {
            using var attemptTimer = new CancellationTokenSource(attemptTimeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(whole.Token, attemptTimer.Token);
            HttpResponseMessage? response = null;
            string outcome;
            try
            {
                response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
                if (!IsTransient(response.StatusCode) || attempt >= maxRetries)
                {
                    return response;
                }

                outcome = $"{(int)response.StatusCode} {response.StatusCode}";
            }
            catch (HttpRequestException exception) when (attempt < maxRetries && !whole.IsCancellationRequested)
            {
                outcome = exception.Message;
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested && (attemptTimer.IsCancellationRequested || total.IsCancellationRequested))
            {
                if (total.IsCancellationRequested || attempt >= maxRetries)
                {
                    var limit = total.IsCancellationRequested ? totalTimeout : attemptTimeout;
                    throw new TimeoutException($"{request.Method} {request.RequestUri} got no answer within {limit} (attempt {attempt + 1})", exception);
                }

                outcome = $"no answer within {attemptTimeout}";
            }

            var delay = RetryAfter(response) ?? baseDelay * Math.Pow(2, attempt);
            response?.Dispose();
            RegistryLog.Retrying(logger, request.Method, request.RequestUri, delay, attempt + 2, outcome);
            try
            {
                await Task.Delay(delay, time, whole.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException exception) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{request.Method} {request.RequestUri} got no answer within {totalTimeout} ({outcome})", exception);
            }
        }
    }

    // The standard handler's default: 5xx, 408 and 429 are worth another attempt.
    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var delay = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - time.GetUtcNow() : null);
        return delay is { } value && value > TimeSpan.Zero ? value : null;
    }
}
