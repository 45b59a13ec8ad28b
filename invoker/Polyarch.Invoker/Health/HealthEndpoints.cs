using System.Data.Common;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Health;

/// <summary>/readyz: the database opens with its schema and the webhook token is loaded (/healthz only says the process answers).</summary>
internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapReadiness(this IEndpointRouteBuilder app)
    {
        app.MapGet("/readyz", async (TriggerDatabase database, WebhookToken token, CancellationToken ct) =>
        {
            try
            {
                await using var connection = await database.OpenAsync(ct);
                return Results.Json(new { status = "ready", webhook = token.IsConfigured }, InvokerJson.Options);
            }
            catch (DbException exception)
            {
                return Results.Json(new { status = "not ready", error = $"The invoker database cannot be opened: {exception.Message}. Check Invoker:StateDirectory (SQLite) or Store:ConnectionString and the PostgreSQL server (Store:Provider=postgres)." }, InvokerJson.Options, statusCode: 503);
            }
        }).WithTags("Health").AllowAnonymous();
        return app;
    }
}
