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
using Polyarch.Invoker.Workflows;

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

        using var response = await SendAsync(
            HttpMethod.Put, $"v1/actions/{Escape(action.Name)}", body, cancellationToken,
            refuse: (status, problem) => status == HttpStatusCode.BadRequest && Errors(problem) is { } errors ? new InvalidActionException(errors) : null);
        var stored = (await response.Content.ReadFromJsonAsync<JsonObject>(InvokerJson.Options, cancellationToken))!;
        var warnings = stored["warnings"] is JsonArray list ? list.Select(w => w!.GetValue<string>()).ToList() : [];
        stored.Remove("warnings");
        return new StoredAction(stored.Deserialize<ActionDefinition>(InvokerJson.Options)!, warnings);
    }

    public Task<bool> DeleteActionAsync(string name, CancellationToken cancellationToken) => DeleteAsync($"v1/actions/{Escape(name)}", cancellationToken);

    public async Task<ActivationRecord> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, InvocationPath(request, allPlatforms: false), request.Params, cancellationToken, refuse: NotFound(request.Target));
        return await ReadAsync<ActivationRecord>(response, cancellationToken);
    }

    public async Task<IReadOnlyList<FanOutResult>> InvokeAllPlatformsAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, InvocationPath(request, allPlatforms: true), request.Params, cancellationToken, refuse: NotFound(request.Target));
        return await ReadAsync<List<FanOutResult>>(response, cancellationToken);
    }

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
        using var response = await SendAsync(
            HttpMethod.Put, $"v1/rules/{Escape(rule.Name)}", JsonSerializer.SerializeToNode(rule, InvokerJson.Options), cancellationToken,
            refuse: (status, problem) => status == HttpStatusCode.BadRequest && Errors(problem) is { } errors ? new InvalidRuleException(errors) : null);
        return await ReadAsync<RuleDefinition>(response, cancellationToken);
    }

    public Task<bool> DeleteRuleAsync(string name, CancellationToken cancellationToken) => DeleteAsync($"v1/rules/{Escape(name)}", cancellationToken);

    public async Task<IReadOnlyList<WorkflowDefinition>> ListWorkflowsAsync(CancellationToken cancellationToken) =>
        await GetAsync<List<WorkflowDefinition>>("v1/workflows", cancellationToken);

    public async Task<WorkflowDefinition?> GetWorkflowAsync(string name, CancellationToken cancellationToken) =>
        await GetOrNullAsync<WorkflowDefinition>($"v1/workflows/{Escape(name)}", cancellationToken);

    public async Task<WorkflowDefinition> PutWorkflowAsync(WorkflowDefinition workflow, CancellationToken cancellationToken)
    {
        // The definition as the CLI read it (its file's syntax errors are named on this side, with the file's path).
        using var response = await SendAsync(
            HttpMethod.Put, $"v1/workflows/{Escape(workflow.Name)}", JsonSerializer.SerializeToNode(workflow, InvokerJson.Options), cancellationToken,
            refuse: (status, problem) => status == HttpStatusCode.BadRequest && Errors(problem) is { } errors ? new InvalidWorkflowException(workflow.Name, errors) : null);
        return await ReadAsync<WorkflowDefinition>(response, cancellationToken);
    }

    public Task<bool> DeleteWorkflowAsync(string name, CancellationToken cancellationToken) => DeleteAsync($"v1/workflows/{Escape(name)}", cancellationToken);

    public async Task<StartedWorkflowRun> StartWorkflowRunAsync(string workflow, JsonObject parameters, bool wait, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // The service drives the run (202 {runId, created, status}); a waiting CLI then long-polls its record (WaitForWorkflowRunAsync).
        using var response = await SendAsync(
            HttpMethod.Post, $"v1/workflows/{Escape(workflow)}/runs", parameters, cancellationToken,
            refuse: (status, _) => status == HttpStatusCode.NotFound ? new WorkflowNotFoundException(workflow) : null,
            headers: idempotencyKey is null ? null : [("Idempotency-Key", idempotencyKey)]);
        var started = await ReadAsync<JsonObject>(response, cancellationToken);
        return new StartedWorkflowRun(
            started["runId"]!.GetValue<string>(),
            started["status"]?.GetValue<string>() ?? WorkflowRunStatus.Running,
            started["created"]?.GetValue<bool>() ?? true);
    }

    public async Task<WorkflowRun> WaitForWorkflowRunAsync(string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            // Each request is bounded (GET /v1/workflow-runs/{id}?waitSeconds=N answers when the run ends or N seconds passed).
            using var response = await SendAsync(
                HttpMethod.Get, $"v1/workflow-runs/{Escape(runId)}?waitSeconds={WaitSeconds}", null, cancellationToken,
                refuse: (status, _) => status == HttpStatusCode.NotFound ? new WorkflowRunNotFoundException(runId) : null);
            var run = await ReadAsync<WorkflowRun>(response, cancellationToken);
            if (WorkflowRunStatus.IsFinal(run.Status))
            {
                return run;
            }
        }
    }

    public async Task<IReadOnlyList<WorkflowRun>> ListWorkflowRunsAsync(string? workflow, int limit, CancellationToken cancellationToken) =>
        await GetAsync<List<WorkflowRun>>(
            $"v1/workflow-runs?limit={limit}{(workflow is null ? "" : $"&workflow={Uri.EscapeDataString(workflow)}")}", cancellationToken);

    public async Task<WorkflowRun?> GetWorkflowRunAsync(string runId, CancellationToken cancellationToken) =>
        await GetOrNullAsync<WorkflowRun>($"v1/workflow-runs/{Escape(runId)}", cancellationToken);

    public async Task<bool> CancelWorkflowRunAsync(string runId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Post, $"v1/workflow-runs/{Escape(runId)}/cancel", null, cancellationToken, notFoundIsNull: true,
            refuse: (status, problem) => status == HttpStatusCode.Conflict
                ? new WorkflowRunEndedException(runId, problem?["runStatus"]?.GetValue<string>() ?? "already")
                : null);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    public ValueTask DisposeAsync()
    {
        _http.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>How long one long-poll of a run may wait on the service (GET /v1/workflow-runs/{id}?waitSeconds=, at most 60).</summary>
    internal const int WaitSeconds = 30;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>
    /// An action by name (POST /v1/actions/NAME/invocations) or an image reference (POST /v1/images/invocations?image=REF):
    /// an image has a registry host or repository path (ActionInvoker.FindAsync); action names have neither.
    /// </summary>
    private static string InvocationPath(InvocationRequest request, bool allPlatforms)
    {
        var query = new List<string>();
        var path = "v1/actions/" + Escape(request.Target) + "/invocations";
        if (request.Target.Contains('/', StringComparison.Ordinal))
        {
            path = "v1/images/invocations";
            query.Add("image=" + Uri.EscapeDataString(request.Target));
        }

        if (request.Platform is not null)
        {
            query.Add("platform=" + Uri.EscapeDataString(request.Platform));
        }

        if (allPlatforms)
        {
            query.Add("allPlatforms=true");
        }

        return query.Count == 0 ? path : $"{path}?{string.Join('&', query)}";
    }

    /// <summary>
    /// An unknown action is the same <see cref="ActionNotFoundException"/> (same words, exit 2) as on the local state, and a 422
    /// with the why-not table the same <see cref="PlacementException"/> (exit 1, the error document with the platforms).
    /// </summary>
    private static Func<HttpStatusCode, JsonObject?, Exception?> NotFound(string target) =>
        (status, problem) => status switch
        {
            HttpStatusCode.NotFound => new ActionNotFoundException(target),
            HttpStatusCode.UnprocessableEntity when problem?["imagePlatforms"] is JsonArray && problem["detail"] is JsonValue detail => new PlacementException(
                detail.GetValue<string>(),
                problem["imagePlatforms"].Deserialize<List<string>>(InvokerJson.Options) ?? [],
                problem["backendPlatforms"].Deserialize<List<BackendPlatform>>(InvokerJson.Options) ?? [],
                problem["failures"].Deserialize<List<string>>(InvokerJson.Options) ?? [],
                problem["candidates"].Deserialize<List<CandidateVerdict>>(InvokerJson.Options)),
            _ => null,
        };

    /// <summary>The problems a 400 lists (<c>errors</c>), when it lists any.</summary>
    private static List<string>? Errors(JsonObject? problem) =>
        problem?["errors"] is JsonArray { Count: > 0 } errors ? [.. errors.Select(e => e?.GetValue<string>() ?? "")] : null;

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

    /// <summary>
    /// Sends one request; a failure is a <see cref="ServiceCallException"/>, or what <c>refuse</c> makes of it: the exception the
    /// local state throws for the same refusal (status, problem body), so the CLI says the same words either way.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken, bool notFoundIsNull = false,
        Func<HttpStatusCode, JsonObject?, Exception?>? refuse = null, IReadOnlyList<(string Name, string Value)>? headers = null)
    {
        HttpResponseMessage response;
        using (var request = new HttpRequestMessage(method, path))
        {
            foreach (var (header, value) in headers ?? [])
            {
                request.Headers.Add(header, value);
            }

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
            throw await ErrorAsync(response, refuse, cancellationToken);
        }
    }

    private async Task<Exception> ErrorAsync(HttpResponseMessage response, Func<HttpStatusCode, JsonObject?, Exception?>? refuse, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        string? detail = null;
        JsonObject? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync<JsonNode>(cancellationToken) as JsonObject;
            if (problem is not null)
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

        if (refuse?.Invoke(response.StatusCode, problem) is { } refused)
        {
            return refused;
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
