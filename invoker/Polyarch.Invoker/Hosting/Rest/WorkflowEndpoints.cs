using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Hosting.Rest;

/// <summary>
/// PUT/GET/DELETE /v1/workflows/{name}, GET /v1/workflows, POST /v1/workflows/{name}/runs, GET /v1/workflow-runs[/{id}],
/// POST /v1/workflow-runs/{id}/cancel. Errors are problem details (400 names every problem of a definition).
/// </summary>
internal static class WorkflowEndpoints
{
    /// <summary>The longest one GET /v1/workflow-runs/{id}?waitSeconds= waits.</summary>
    public const int MaxWaitSeconds = 60;

    public static IEndpointRouteBuilder MapWorkflowApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Workflows");
        v1.MapGet("/workflows", async (WorkflowStore store, CancellationToken ct) => Json(await store.ListAsync(ct)));
        v1.MapGet("/workflows/{name}", async (string name, WorkflowStore store, CancellationToken ct) =>
            await store.GetAsync(name, ct) is { } workflow ? Json(workflow) : Problem(404, "Unknown workflow", $"There is no workflow '{name}'. Create it with PUT /v1/workflows/{name}."));
        v1.MapPut("/workflows/{name}", PutAsync);
        v1.MapDelete("/workflows/{name}", async (string name, WorkflowStore store, CancellationToken ct) =>
            await store.DeleteAsync(name, ct) ? Results.NoContent() : Problem(404, "Unknown workflow", $"There is no workflow '{name}'."));
        v1.MapPost("/workflows/{name}/runs", RunAsync);
        v1.MapGet("/workflow-runs", async (string? workflow, int? limit, WorkflowStore store, CancellationToken ct) =>
            Json(await store.ListRunsAsync(workflow, Math.Clamp(limit ?? 30, 1, 1000), ct)));
        v1.MapGet("/workflow-runs/{id}", GetRunAsync);
        v1.MapPost("/workflow-runs/{id}/cancel", async (string id, WorkflowEngine engine, CancellationToken ct) =>
        {
            if (await engine.CancelAsync(id, ct))
            {
                return Results.Json(new { id, status = "cancelling" }, InvokerJson.Options, statusCode: 202);
            }

            return await engine.GetRunAsync(id, ct) is { } run
                ? Results.Json(
                    new { type = "about:blank", title = "Run finished", status = 409, detail = $"Workflow run '{id}' already ended {run.Status}; there is nothing to cancel.", runStatus = run.Status },
                    InvokerJson.Options, "application/problem+json", 409)
                : Problem(404, "Unknown run", $"There is no workflow run '{id}'.");
        });
        return app;
    }

    /// <summary>
    /// The run's record; with <c>waitSeconds=N</c> (1–60) a long poll: the answer comes when the run has ended or N seconds
    /// passed, whichever is first (200 either way: the record's <c>status</c> says which). Bounded, so no proxy or client
    /// timeout cuts a wait for a long run; a client waits by asking again.
    /// </summary>
    private static async Task<IResult> GetRunAsync(string id, int? waitSeconds, WorkflowEngine engine, TimeProvider timeProvider, CancellationToken ct)
    {
        if (waitSeconds is < 0 or > MaxWaitSeconds)
        {
            return Problem(400, "Invalid waitSeconds", $"waitSeconds={waitSeconds} is outside 0–{MaxWaitSeconds}; ask again after each answer to wait longer.");
        }

        if (await engine.GetRunAsync(id, ct) is not { } run)
        {
            return Problem(404, "Unknown run", $"There is no workflow run '{id}'. List runs with GET /v1/workflow-runs.");
        }

        if (waitSeconds is > 0 && !WorkflowRunStatus.IsFinal(run.Status))
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(waitSeconds.Value), timeProvider);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, bound.Token);
            try
            {
                run = await engine.WaitAsync(id, linked.Token);
            }
            catch (OperationCanceledException) when (bound.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                run = await engine.GetRunAsync(id, ct) ?? run;
            }
        }

        return Json(run);
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, WorkflowEngine engine, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(ct);
        try
        {
            var workflow = WorkflowDefinitionReader.Read(text, name, "the request body");
            return Json(await engine.PutAsync(workflow, ct));
        }
        catch (InvalidWorkflowException invalid)
        {
            return Results.Json(
                new { type = "about:blank", title = "Invalid workflow", status = 400, detail = invalid.Message, errors = invalid.Errors },
                InvokerJson.Options, "application/problem+json", 400);
        }
    }

    private static async Task<IResult> RunAsync(string name, bool? wait, HttpRequest request, WorkflowEngine engine, CancellationToken ct)
    {
        JsonObject parameters = [];
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                if (await JsonNode.ParseAsync(request.Body, cancellationToken: ct) is JsonObject body)
                {
                    parameters = body;
                }
                else
                {
                    return Problem(400, "Invalid params", "The body must be the run's params as a JSON object, e.g. {\"threshold\": 0.95}.");
                }
            }
            catch (JsonException exception)
            {
                return Problem(400, "Invalid params", $"The body is not JSON ({exception.Message}); send the run's params as a JSON object.");
            }
        }

        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is not null && IdempotencyKeys.Problem(key, "The Idempotency-Key header") is { } problem)
        {
            return Problem(400, "Invalid Idempotency-Key", problem);
        }

        WorkflowRunStart start;
        try
        {
            start = await engine.StartAsync(new WorkflowStartRequest(name, parameters, null, key), ct);
        }
        catch (WorkflowNotFoundException notFound)
        {
            return Problem(404, "Unknown workflow", notFound.Message);
        }

        if (wait == true)
        {
            return Json(await engine.WaitAsync(start.RunId, ct));
        }

        // A repeated key answers the first run as it is now (it may have ended).
        var status = start.Created ? WorkflowRunStatus.Running : (await engine.GetRunAsync(start.RunId, ct))?.Status ?? WorkflowRunStatus.Running;
        return Results.Json(new { runId = start.RunId, created = start.Created, status }, InvokerJson.Options, statusCode: 202);
    }

    private static IResult Json<T>(T value) => Results.Json(value, InvokerJson.Options);

    private static IResult Problem(int status, string title, string detail) =>
        Results.Json(new { type = "about:blank", title, status, detail }, InvokerJson.Options, "application/problem+json", status);
}
