using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// <see cref="IInvokerApi"/> over a running service's REST API (/v1). Every failure is a <see cref="ServiceCallException"/>
/// with the CLI's exit code: unreachable 3, a refused key 2 (naming where the key came from), 400/404 2, 422 1, 5xx 3.
/// </summary>
internal sealed class HttpInvokerApi(ServiceConnection connection) : IInvokerApi
{
    private readonly HttpClient _http = Create(connection);

    public string Source => $"the invoker service at {connection.Url}";

    public async Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) =>
        await GetAsync<BackendInventory>("v1/platforms", cancellationToken);

    public async Task<IReadOnlyList<ActionDefinition>> ListActionsAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<ActionDefinition>>("v1/actions", cancellationToken);

    public async Task<ActionDefinition?> GetActionAsync(string name, bool showCode, CancellationToken cancellationToken) =>
        await GetOrNullAsync<ActionDefinition>($"v1/actions/{Escape(name)}{(showCode ? "?code=true" : "")}", cancellationToken);

    public async Task<StoredAction> PutActionAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        // The stored shape plus the code as PUT /v1/actions/{name} takes it: text, or a zip in base64 with "binary": true.
        var body = JsonSerializer.SerializeToNode(action with { Code = null }, InvokerJson.Options)!.AsObject();
        if (action.Code is { } code)
        {
            body["code"] = code.Content;
            body["binary"] = code.Binary;
            body["main"] = code.Main;
        }

        using var response = await SendAsync(HttpMethod.Put, $"v1/actions/{Escape(action.Name)}", body, cancellationToken);
        var stored = (await response.Content.ReadFromJsonAsync<JsonObject>(InvokerJson.Options, cancellationToken))!;
        var warnings = stored["warnings"] is JsonArray list ? list.Select(w => w!.GetValue<string>()).ToList() : [];
        stored.Remove("warnings");
        return new StoredAction(stored.Deserialize<ActionDefinition>(InvokerJson.Options)!, warnings);
    }

    public Task<bool> DeleteActionAsync(string name, CancellationToken cancellationToken) => DeleteAsync($"v1/actions/{Escape(name)}", cancellationToken);

    public async Task<ActivationRecord> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        // An image reference has a registry host or repository path (ActionInvoker.FindAsync); action names have neither.
        if (request.Target.Contains('/', StringComparison.Ordinal))
        {
            throw new ServiceCallException(
                $"The invoker service at {connection.Url} invokes actions by name (POST /v1/actions/NAME/invocations); '{request.Target}' is an image. " +
                "Create an action for it (polyarch-invoker actions create NAME --image …) or leave out --url to run the image here.", 2);
        }

        var query = request.Platform is null ? "" : $"?platform={Uri.EscapeDataString(request.Platform)}";
        using var response = await SendAsync(HttpMethod.Post, $"v1/actions/{Escape(request.Target)}/invocations{query}", request.Params, cancellationToken);
        return await ReadAsync<ActivationRecord>(response, cancellationToken);
    }

    public Task<IReadOnlyList<FanOutResult>> InvokeAllPlatformsAsync(InvocationRequest request, CancellationToken cancellationToken) =>
        throw new ServiceCallException(
            $"--all-platforms fans out in this process; {Source} runs one platform per call. Pass --platform for each, or leave out --url.", 2);

    public async Task<IReadOnlyList<ActivationRecord>> ListActivationsAsync(string? action, int limit, CancellationToken cancellationToken) =>
        await GetAsync<List<ActivationRecord>>(
            $"v1/activations?limit={limit}{(action is null ? "" : $"&action={Uri.EscapeDataString(action)}")}", cancellationToken);

    public async Task<ActivationLookup?> GetActivationAsync(string activationId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, $"v1/activations/{Escape(activationId)}", null, cancellationToken, notFoundIsNull: true);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return response.StatusCode == HttpStatusCode.Accepted
            ? new ActivationLookup(null, await ReadAsync<JsonObject>(response, cancellationToken))
            : new ActivationLookup(await ReadAsync<ActivationRecord>(response, cancellationToken), null);
    }

    public async Task<IReadOnlyList<RuleDefinition>> ListRulesAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<RuleDefinition>>("v1/rules", cancellationToken);

    public async Task<RuleDefinition?> GetRuleAsync(string name, CancellationToken cancellationToken) =>
        await GetOrNullAsync<RuleDefinition>($"v1/rules/{Escape(name)}", cancellationToken);

    public async Task<RuleDefinition> PutRuleAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"v1/rules/{Escape(rule.Name)}", JsonSerializer.SerializeToNode(rule, InvokerJson.Options), cancellationToken);
        return await ReadAsync<RuleDefinition>(response, cancellationToken);
    }

    public Task<bool> DeleteRuleAsync(string name, CancellationToken cancellationToken) => DeleteAsync($"v1/rules/{Escape(name)}", cancellationToken);

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static HttpClient Create(ServiceConnection connection)
    {
        var baseUrl = connection.Url.AbsoluteUri.EndsWith('/') ? connection.Url : new Uri(connection.Url.AbsoluteUri + "/");
        var http = new HttpClient { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };
        if (connection.ApiKey is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", connection.ApiKey);
        }

        return http;
    }

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<T?> GetOrNullAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken, notFoundIsNull: true);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<bool> DeleteAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, path, null, cancellationToken, notFoundIsNull: true);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool notFoundIsNull = false)
    {
        HttpResponseMessage response;
        using (var request = new HttpRequestMessage(method, path))
        {
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(InvokerJson.Options), Encoding.UTF8, "application/json");
            }

            try
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                throw new ServiceCallException(
                    $"The invoker service at {connection.Url} does not answer ({exception.Message}). Start it (scripts/services.sh up) or pass another --url / {ServiceDiscovery.UrlVariable}.", 3, exception);
            }
        }

        if (response.IsSuccessStatusCode || (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound))
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
        try
        {
            if (await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) is JsonObject problem)
            {
                detail = problem["detail"]?.GetValue<string>() ?? problem["error"]?.GetValue<string>();
                if (problem["errors"] is JsonArray errors && errors.Count > 0)
                {
                    detail = $"{detail} {string.Join(" ", errors.Select(e => e?.ToString()))}".Trim();
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not a JSON error: the status says enough.
        }

        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new ServiceCallException(
                $"The invoker service at {connection.Url} refused the API key ({status}) from {connection.KeySource}. Pass --api-key-file with the key it uses (its secrets/invoker-api.key) or set Service:ApiKey.", 2),
            HttpStatusCode.NotFound or HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge => new ServiceCallException(detail ?? $"The invoker service at {connection.Url} answered {status}.", 2),
            HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict => new ServiceCallException(detail ?? $"The invoker service at {connection.Url} answered {status}.", 1),
            _ when status >= 500 => new ServiceCallException($"The invoker service at {connection.Url} failed ({status}): {detail ?? response.ReasonPhrase}. See its log (logs/invoker.log).", 3),
            _ => new ServiceCallException(detail ?? $"The invoker service at {connection.Url} answered {status}.", 1),
        };
    }

    private async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(InvokerJson.Options, cancellationToken)
            ?? throw new ServiceCallException($"The invoker service at {connection.Url} answered {(int)response.StatusCode} without a body.", 1);
}
