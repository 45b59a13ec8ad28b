using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Triggers;

using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Hosting.Rest;

/// <summary>PUT/GET/DELETE /v1/rules/{name}, GET /v1/rules, GET /v1/firings.</summary>
internal static class RuleEndpoints
{
    public static IEndpointRouteBuilder MapRuleApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Rules");
        v1.MapGet("/rules", async (RuleService rules, CancellationToken ct) => Json(await rules.ListAsync(ct)));
        v1.MapGet("/rules/{name}", async (string name, RuleService rules, CancellationToken ct) =>
            await rules.GetAsync(name, ct) is { } rule ? Json(rule) : Problem(404, $"There is no rule '{name}'. Create it with PUT /v1/rules/{name}."));
        v1.MapPut("/rules/{name}", PutAsync);
        v1.MapDelete("/rules/{name}", async (string name, RuleService rules, CancellationToken ct) =>
            await rules.DeleteAsync(name, ct) ? Results.NoContent() : Problem(404, $"There is no rule '{name}'."));
        v1.MapGet("/firings", async (FiringStore firings, CancellationToken ct) => Json(await firings.ListAsync(ct)));
        return app;
    }

    private static async Task<IResult> PutAsync(string name, HttpRequest request, RuleService rules, CancellationToken ct)
    {
        const string Example = "{\"repository\": \"demo/echo\", \"tag\": \"latest\", \"platforms\": [\"all\"]}";
        RuleDefinition? rule;
        try
        {
            if (await JsonNode.ParseAsync(request.Body, cancellationToken: ct) is not JsonObject body)
            {
                return Problem(400, $"The body must be a rule such as {Example}.");
            }

            body["name"] = name;
            rule = body.Deserialize<RuleDefinition>(InvokerJson.Options);
        }
        catch (JsonException exception)
        {
            return Problem(400, $"The body is not a rule ({exception.Message}); e.g. {Example}.");
        }

        if (rule is null)
        {
            return Problem(400, $"The body must be a rule such as {Example}.");
        }

        try
        {
            await rules.PutAsync(rule, ct);
        }
        catch (InvalidRuleException invalid)
        {
            return Results.Json(new { error = "Invalid rule.", errors = invalid.Errors }, InvokerJson.Options, statusCode: 400);
        }

        return Json(rule);
    }

    private static IResult Json<T>(T value) => Results.Json(value, InvokerJson.Options);

    private static IResult Problem(int status, string message) => Results.Json(new { error = message }, InvokerJson.Options, statusCode: status);
}
