using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>The read side of the REST API: <c>GET /v1/builds</c>, <c>/v1/builds/{id}</c>, <c>/v1/builds/{id}/log</c>.</summary>
internal static class BuildsApi
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/v1/builds", async (IBuildStore store, int? limit, CancellationToken cancellationToken) =>
            Results.Json(await store.ListAsync(Math.Clamp(limit ?? 50, 1, 500), cancellationToken), BuildJson.Options));
        endpoints.MapGet("/v1/builds/{id}", async (string id, IBuildStore store, CancellationToken cancellationToken) =>
            await store.GetAsync(id, cancellationToken) is { } build
                ? Results.Json(build, BuildJson.Options)
                : Results.Problem(detail: $"No build '{id}'. List builds with GET /v1/builds.", statusCode: 404));
        endpoints.MapGet("/v1/builds/{id}/log", async (string id, string? platform, IBuildStore store, CancellationToken cancellationToken) =>
        {
            if (await store.GetAsync(id, cancellationToken) is null)
            {
                return Results.Problem(detail: $"No build '{id}'. List builds with GET /v1/builds.", statusCode: 404);
            }

            var logs = await store.GetLogsAsync(id, cancellationToken);
            var text = string.Concat(logs.Where(l => platform is null || l.Key == platform)
                .Select(l => $"===== {(l.Key.Length == 0 ? "export and push" : l.Key)} =====\n{l.Value}\n"));
            return Results.Text(text, "text/plain; charset=utf-8");
        });
        return endpoints;
    }
}
