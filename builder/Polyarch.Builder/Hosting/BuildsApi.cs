using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// The REST API of builds: <c>GET /v1/builds</c>, <c>/v1/builds/{id}</c>, <c>/v1/builds/{id}/log</c>, and what CLIs use to
/// hand work to the service: <c>POST /v1/builds</c>, <c>GET /v1/builds/{id}/events</c>, <c>POST /v1/builds/{id}/cancel</c>.
/// </summary>
internal static class BuildsApi
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/builds", async (IBuildStore store, int? limit, CancellationToken cancellationToken) =>
            Results.Json(await store.ListAsync(Math.Clamp(limit ?? 50, 1, 500), cancellationToken), BuildJson.Options));
        endpoints.MapGet("/v1/builds/{id}", async (string id, IBuildStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } build
                ? Results.Json(build, BuildJson.Options)
                : NotFound(id));
        endpoints.MapGet("/v1/builds/{id}/log", async (string id, string? platform, IBuildStore store, CancellationToken cancellationToken) =>
        {
            if (await store.GetAsync(id, cancellationToken) is null)
            {
                return NotFound(id);
            }

            var logs = await store.GetLogsAsync(id, cancellationToken);
            return Results.Text(BuildLogText.Format(logs, platform), "text/plain; charset=utf-8");
        });
        endpoints.MapPost("/v1/builds", BuildSubmissionEndpoint.HandleAsync);
        endpoints.MapGet("/v1/builds/{id}/events", BuildEventsEndpoint.HandleAsync);
        endpoints.MapPost("/v1/builds/{id}/cancel", BuildCancelEndpoint.HandleAsync);
        return endpoints;
    }

    public static IResult NotFound(string id) =>
        Results.Problem(detail: $"No build '{Errors.InputText.Printable(id)}'. List builds with GET /v1/builds (polyarch-builder builds list).", statusCode: 404);
}
