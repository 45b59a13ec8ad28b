using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Client;

/// <summary>The builder service's REST API as the CLI verbs use it; every failure is a <see cref="BuilderException"/> with the CLI's exit code.</summary>
internal sealed class BuilderServiceClient(ServiceConnection connection) : IDisposable
{
    private readonly HttpClient _http = Create(connection);

    public Uri Url => connection.Url;

    public async Task<SubmitAnswer> SubmitAsync(BuildSubmission submission, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, "v1/builds") { Content = JsonContent.Create(submission, BuildJsonContext.Default.BuildSubmission) }, cancellationToken);
        return await ReadAsync(response, BuildJsonContext.Default.SubmitAnswer, cancellationToken);
    }

    /// <summary>Follows a build: each platform's progress, then the final record.</summary>
    public async IAsyncEnumerable<BuildEvent> EventsAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/builds/{Uri.EscapeDataString(id)}/events"), cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0)
            {
                yield return JsonSerializer.Deserialize(line, BuildJsonContext.Default.BuildEvent)
                    ?? throw new ServiceCallException($"The builder service at {Url} sent an empty event for build {id}.", 1);
            }
        }
    }

    public async Task<IReadOnlyList<BuildRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/builds?limit={limit}"), cancellationToken);
        return await ReadAsync(response, BuildJsonContext.Default.ListBuildRecord, cancellationToken);
    }

    public async Task<BuildRecord> GetAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/builds/{Uri.EscapeDataString(id)}"), cancellationToken);
        return await ReadAsync(response, BuildJsonContext.Default.BuildRecord, cancellationToken);
    }

    public async Task<string> LogsAsync(string id, string? platform, CancellationToken cancellationToken)
    {
        var query = platform is null ? "" : $"?platform={Uri.EscapeDataString(platform)}";
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, $"v1/builds/{Uri.EscapeDataString(id)}/log{query}"), cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task<BuildRecord> CancelAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, $"v1/builds/{Uri.EscapeDataString(id)}/cancel"), cancellationToken);
        return await ReadAsync(response, BuildJsonContext.Default.BuildRecord, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private static HttpClient Create(ServiceConnection connection)
    {
        var baseUrl = connection.Url.AbsoluteUri.EndsWith('/') ? connection.Url : new Uri(connection.Url.AbsoluteUri + "/");
        var http = new HttpClient(connection.Handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        if (connection.ApiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.ApiKey);
        }

        return http;
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> create, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        HttpResponseMessage response;
        using (var request = create())
        {
            try
            {
                response = await _http.SendAsync(request, completion, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                throw new DependencyUnavailableException(
                    $"The builder service at {Url} does not answer ({exception.Message}). Start it (scripts/services.sh up) or pass another --url / {ServiceDiscovery.UrlVariable}.", exception);
            }
        }

        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ErrorAsync(response, cancellationToken);
        }
    }

    private async Task<ServiceCallException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? detail = null;
        int? exitCode = null;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            var problem = document.RootElement;
            if (problem.ValueKind == JsonValueKind.Object)
            {
                detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : problem.TryGetProperty("title", out var t) ? t.GetString() : null;
                exitCode = problem.TryGetProperty("exitCode", out var e) && e.TryGetInt32(out var code) ? code : null;
            }
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not problem details: the status says enough.
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ServiceCallException(
                $"The builder service at {Url} refused the API key ({status}) from {connection.KeySource}. Pass --api-key-file with the key it uses (its secrets/builder-api.key) or set Service:ApiKey.", 2),
            _ when exitCode is { } code => new ServiceCallException(detail ?? $"The builder service at {Url} answered {status}.", code),
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest => new ServiceCallException(detail ?? $"The builder service at {Url} answered {status}.", 2),
            HttpStatusCode.Conflict => new ServiceCallException(detail ?? $"The builder service at {Url} answered {status}.", 1),
            _ when status >= 500 => new ServiceCallException($"The builder service at {Url} failed ({status}): {detail ?? response.ReasonPhrase}. See its log (logs/builder.log).", 3),
            _ => new ServiceCallException(detail ?? $"The builder service at {Url} answered {status}.", 1),
        };
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync(type, cancellationToken)
            ?? throw new ServiceCallException($"The builder service at {Url} answered {(int)response.StatusCode} without a body.", 1);

    /// <summary>The answer to <c>POST /v1/builds</c>.</summary>
    internal sealed record SubmitAnswer(BuildRecord Build, bool Created, bool Requeued);

    /// <summary>One line of <c>/events</c>: progress, or the final record.</summary>
    internal sealed record BuildEvent(PlatformProgress? Progress, BuildRecord? Build);
}
