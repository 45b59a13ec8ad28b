using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Hosting.Rest;

/// <summary>The REST API of `serve`: actions, invocations, activations, platforms under /v1.</summary>
internal static class InvokerEndpoints
{
    public static IEndpointRouteBuilder MapInvokerApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/platforms", async (IActionBackend backend, CancellationToken ct) => Json(await backend.GetInventoryAsync(ct)));
        v1.MapGet("/actions", async (IActionStore store, CancellationToken ct) => Json((await store.ListAsync(ct)).Select(a => ActionViews.Of(a, showCode: false))));
        v1.MapGet("/actions/{name}", async (string name, bool? code, IActionStore store, CancellationToken ct) =>
            await store.GetAsync(name, ct) is { } action ? Json(ActionViews.Of(action, code == true)) : NotFound($"There is no action '{name}'."));
        // A code action's body holds its code (up to Invoker:MaxCodeBytes, base64 for a zip): this endpoint bounds its
        // own body by that cap instead of Service:MaxRequestBodyBytes.
        v1.MapPut("/actions/{name}", PutActionAsync).WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        v1.MapDelete("/actions/{name}", async (string name, IActionStore store, CancellationToken ct) =>
            await store.DeleteAsync(name, ct) ? Results.NoContent() : NotFound($"There is no action '{name}'."));
        v1.MapPost("/actions/{name}/invocations", InvokeActionAsync);
        // An image by reference, as `invoke IMAGE` runs it (no action needed): the same rights as creating an action with that
        // image and invoking it, so the same API key guards it.
        v1.MapPost("/images/invocations", InvokeImageAsync);
        v1.MapGet("/activations", async (string? action, int? limit, IActivationStore store, CancellationToken ct) =>
            Json(await store.ListAsync(action, limit ?? 30, ct)));
        v1.MapGet("/activations/{id}", GetActivationAsync);
        return app;
    }

    /// <summary>
    /// 200 + the record once there is one; 202 + {activationId, action, status: pending | running, accepted} while an
    /// accepted non-blocking call has none yet; 404 only for an id this invoker never accepted.
    /// </summary>
    private static async Task<IResult> GetActivationAsync(string id, IActivationStore store, AcceptedActivationStore accepted, CancellationToken ct)
    {
        if (!ActivationId.IsValid(id))
        {
            return Problem(400, $"'{id}' is not an activation id (32 hex characters).");
        }

        // The accepted row first: it leaves in the transaction that stores the record, so this order cannot miss both.
        var waiting = await accepted.GetAsync(id, ct);
        if (await store.GetAsync(id, ct) is { } record)
        {
            return Json(record);
        }

        return waiting is null
            ? NotFound($"There is no activation {id}: this invoker never accepted it (see GET /v1/activations).")
            : Results.Json(new { activationId = id, action = waiting.Target, status = waiting.State, accepted = waiting.Accepted }, InvokerJson.Options, statusCode: 202);
    }

    /// <summary>
    /// PUT an action: the definition's fields, plus for a code action <c>code</c> (text, or a zip in base64 with
    /// <c>binary: true</c>) and <c>main</c>; a notebook's JSON is sent as text. Code over Invoker:MaxCodeBytes → 400.
    /// </summary>
    private static async Task<IResult> PutActionAsync(
        string name, HttpRequest request, IActionStore store, IActionBackend backend, Microsoft.Extensions.Options.IOptions<InvokerOptions> options,
        Microsoft.Extensions.Options.IOptions<Polyarch.Invoker.Fitness.ServiceOptions> service, CancellationToken ct)
    {
        var maxCodeBytes = options.Value.MaxCodeBytes;
        var maxRest = service.Value.MaxRequestBodyBytes;
        // The code may take Invoker:MaxCodeBytes (twice that as escaped JSON text or base64); everything else in the body
        // stays bounded by Service:MaxRequestBodyBytes, checked once the code is taken out.
        var maxBody = (2 * maxCodeBytes) + maxRest;
        if (request.ContentLength > maxBody)
        {
            return TooLarge(maxBody, maxCodeBytes);
        }

        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBody;
        }

        ActionDefinition? action;
        try
        {
            // The name comes from the route; a name in the body is ignored.
            if (await JsonNode.ParseAsync(request.Body, cancellationToken: ct) is not JsonObject body)
            {
                return Problem(400, "The body must be an action definition such as {\"image\": \"127.0.0.1:5000/demo/echo:latest\"}.");
            }

            body["name"] = name;
            var code = ReadCode(name, body);
            if (System.Text.Encoding.UTF8.GetByteCount(body.ToJsonString()) > maxRest)
            {
                return Results.Json(
                    new { error = $"The request body is larger than {maxRest} bytes (Service:MaxRequestBodyBytes) without the action's code. Send a smaller body, or raise the limit with Service:MaxRequestBodyBytes (POLYARCH_Service__MaxRequestBodyBytes)." },
                    InvokerJson.Options,
                    statusCode: 413);
            }

            action = body.Deserialize<ActionDefinition>(InvokerJson.Options);
            action = action is null ? null : action with { Code = code };
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Problem(400, $"The body is not an action definition: {exception.Message}");
        }
        catch (InvalidActionException invalid)
        {
            return Results.Json(new { error = "Invalid action.", errors = invalid.Errors }, InvokerJson.Options, statusCode: 400);
        }
        catch (BadHttpRequestException tooLarge) when (tooLarge.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TooLarge(maxBody, maxCodeBytes);
        }

        if (action is null)
        {
            return Problem(400, "The body must be an action definition such as {\"image\": \"127.0.0.1:5000/demo/echo:latest\"}.");
        }

        var errors = ActionValidator.Validate(action, maxCodeBytes);
        if (errors.Count > 0)
        {
            return Results.Json(new { error = "Invalid action.", errors }, InvokerJson.Options, statusCode: 400);
        }

        await store.PutAsync(action, ct);
        var view = ActionViews.Of(action, showCode: false);
        var notes = ActionValidator.Notes(action, backend.Name);
        if (notes.Count == 0)
        {
            return Json(view);
        }

        // What this backend does not do is said, not ignored: the stored action plus "warnings".
        var stored = JsonSerializer.SerializeToNode(view, InvokerJson.Options)!.AsObject();
        stored["warnings"] = new JsonArray([.. notes.Select(n => (JsonNode)JsonValue.Create(n))]);
        return Results.Text(stored.ToJsonString(InvokerJson.Options), "application/json", statusCode: 200);
    }

    /// <summary>Takes <c>code</c>, <c>binary</c> and <c>main</c> out of the body (they are not the stored shape) as the action's code.</summary>
    private static ActionCode? ReadCode(string name, JsonObject body)
    {
        var codeNode = body["code"];
        var binaryNode = body["binary"];
        var mainNode = body["main"];
        body.Remove("code");
        body.Remove("binary");
        body.Remove("main");
        if (codeNode is null)
        {
            return binaryNode is null && mainNode is null
                ? null
                : throw new InvalidActionException(["\"binary\" and \"main\" describe the action's code: send the code as \"code\" too."]);
        }

        if (codeNode is not JsonValue codeValue || !codeValue.TryGetValue<string>(out var text))
        {
            throw new InvalidActionException(["\"code\" must be a string: the source text or notebook JSON as text, or a zip in base64 with \"binary\": true."]);
        }

        var binary = binaryNode is JsonValue b && b.TryGetValue<bool>(out var flag) ? flag
            : binaryNode is null ? false : throw new InvalidActionException(["\"binary\" must be true or false."]);
        var main = mainNode is null ? null
            : mainNode is JsonValue m && m.TryGetValue<string>(out var mainText) ? mainText : throw new InvalidActionException(["\"main\" must be a string (the function the runtime calls)."]);
        if (!binary)
        {
            return ActionCode.FromText(text, main);
        }

        byte[] zip;
        try
        {
            zip = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new InvalidActionException([$"The code of action '{name}' has \"binary\": true but is not base64: send the zip's bytes base64-encoded."]);
        }

        return zip.Length >= 4 && zip[0] == (byte)'P' && zip[1] == (byte)'K'
            ? ActionCode.FromZip(zip, main)
            : throw new InvalidActionException([$"The code of action '{name}' is binary but not a zip archive (it does not start with PK): runtimes take a zip."]);
    }

    private static IResult TooLarge(long maxBody, long maxCodeBytes) => Results.Json(
        new { error = $"The action's body is larger than {maxBody} bytes: twice Invoker:MaxCodeBytes ({maxCodeBytes} bytes, for the code as JSON text or base64) plus Service:MaxRequestBodyBytes for the rest. Make the code smaller or raise Invoker:MaxCodeBytes (POLYARCH_Invoker__MaxCodeBytes)." },
        InvokerJson.Options,
        statusCode: 413);

    private static async Task<IResult> InvokeActionAsync(
        string name, bool? blocking, string? platform, bool? allPlatforms, HttpRequest request, ActionInvoker invoker,
        AcceptedActivationRunner nonBlocking, IActionStore store, CancellationToken ct) =>
        await store.GetAsync(name, ct) is null
            ? NotFound($"There is no action '{name}'. Create it with PUT /v1/actions/{name}.")
            : await InvokeAsync(name, blocking, platform, allPlatforms, request, invoker, nonBlocking, ct);

    private static async Task<IResult> InvokeImageAsync(
        string? image, bool? blocking, string? platform, bool? allPlatforms, HttpRequest request, ActionInvoker invoker,
        AcceptedActivationRunner nonBlocking, CancellationToken ct)
    {
        // An image names a registry host or a repository path; an action name has neither (ActionInvoker.FindAsync).
        if (string.IsNullOrWhiteSpace(image) || !image.Contains('/', StringComparison.Ordinal))
        {
            return Problem(400, $"?image= must be an image reference such as 127.0.0.1:5000/demo/echo:latest (got '{image}'); invoke an action with POST /v1/actions/NAME/invocations.");
        }

        return await InvokeAsync(image, blocking, platform, allPlatforms, request, invoker, nonBlocking, ct);
    }

    /// <summary>
    /// One invocation of an action or image: blocking → 200 + record, non-blocking → 202; <c>allPlatforms=true</c> → 200 + one
    /// result per platform of the image (<c>[{platform, activation, error}]</c>, run concurrently; blocking only).
    /// </summary>
    private static async Task<IResult> InvokeAsync(
        string target, bool? blocking, string? platform, bool? allPlatforms, HttpRequest request, ActionInvoker invoker,
        AcceptedActivationRunner nonBlocking, CancellationToken ct)
    {
        // Checked before anything is accepted (a non-blocking call answers 202 first).
        if (platform is not null && !Platforms.PlatformName.TryNormalize(platform, out _, out var platformError))
        {
            return Results.Json(new { error = "Invalid platform.", errors = new[] { platformError } }, InvokerJson.Options, statusCode: 400);
        }

        if (allPlatforms == true && (platform is not null || blocking == false))
        {
            return Problem(400, "allPlatforms=true runs every platform of the image and answers when all have ended: leave out platform= and blocking=false.");
        }

        JsonObject parameters;
        try
        {
            parameters = request.ContentLength is 0 ? [] : (await JsonNode.ParseAsync(request.Body, cancellationToken: ct)) as JsonObject
                ?? throw new System.Text.Json.JsonException("the params must be a JSON object");
        }
        catch (System.Text.Json.JsonException exception)
        {
            return Problem(400, $"The body must be a JSON object of params: {exception.Message}");
        }

        var invocation = new InvocationRequest(target, parameters, platform) { ActivationId = ActivationId.New() };
        if (blocking == false)
        {
            // Stored before the 202: from here on the id ends in a record, also across a crash (AcceptedActivationRunner).
            var accepted = await nonBlocking.AcceptAsync(invocation, ct);
            return Results.Json(new { activationId = accepted.ActivationId, status = accepted.State }, InvokerJson.Options, statusCode: 202);
        }

        try
        {
            return allPlatforms == true
                ? Json(await invoker.InvokeAllPlatformsAsync(new InvocationRequest(target, parameters, null), ct))
                : Json(await invoker.InvokeAsync(invocation, ct));
        }
        catch (Exception exception) when (exception is InvokerException)
        {
            return ErrorFor(exception);
        }
    }

    private static IResult ErrorFor(Exception exception) => exception switch
    {
        PlacementException placement => PlacementProblem(placement),
        InvalidActionException invalid => Results.Json(new { error = invalid.Message, errors = invalid.Errors }, InvokerJson.Options, statusCode: 400),
        ActionNotFoundException => Problem(404, exception.Message),
        ImageResolutionException { DependencyUnavailable: true } => Problem(503, exception.Message),
        ImageResolutionException => Problem(422, exception.Message),
        _ => Problem(503, exception.Message),
    };

    /// <summary>
    /// RFC 9457 problem details (422, application/problem+json) with the why-not table: per candidate (variant, target),
    /// the reason; <c>error</c> repeats the detail for clients of the earlier body.
    /// </summary>
    private static IResult PlacementProblem(PlacementException placement)
    {
        var body = NotStartedActivation.WhyNot(placement, new JsonObject
        {
            ["type"] = "https://github.com/polyarch/polyarch/blob/main/invoker/README.md#placement",
            ["title"] = "No candidate can run the action",
            ["status"] = 422,
            ["detail"] = placement.Message,
            ["error"] = placement.Message,
        });
        return Results.Text(body.ToJsonString(InvokerJson.Options), "application/problem+json", System.Text.Encoding.UTF8, 422);
    }

    private static IResult Json<T>(T value) => Results.Json(value, InvokerJson.Options);

    private static IResult NotFound(string message) => Problem(404, message);

    private static IResult Problem(int status, string message) => Results.Json(new { error = message }, InvokerJson.Options, statusCode: status);
}
