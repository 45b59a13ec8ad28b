using Polyarch.Builder.Hosting;
using Prometheus;

namespace Polyarch.Builder.Fitness;

/// <summary>What makes the builder's `serve` fit to run unattended: API key on /v1/builds, /metrics, the OpenAPI document.</summary>
internal static class BuilderFitnessExtensions
{
    public static IServiceCollection AddPolyarchBuilderFitness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BuilderServiceOptions>().Bind(configuration.GetSection(BuilderServiceOptions.SectionName))
            .Validate(o => o.ApiKey is null || o.ApiKey.Length >= 16, "Service:ApiKey is shorter than 16 characters. Use a random key (e.g. `openssl rand -hex 32`) or leave it unset to generate secrets/builder-api.key.")
            .ValidateOnStart();
        services.AddSingleton<BuilderApiKey>();
        services.AddSingleton<BuildMetrics>();
        services.AddOpenApi();
        return services;
    }

    public static WebApplication UsePolyarchBuilderFitness(this WebApplication app)
    {
        var required = app.Configuration.GetValue<bool>($"{BuilderServiceOptions.SectionName}:{nameof(BuilderServiceOptions.RequireApiKey)}");
        if (required)
        {
            // Generate the key file now (0600) so scripts can read it before the first call.
            app.Services.GetRequiredService<BuilderApiKey>();
        }

        app.Use(async (context, next) =>
        {
            if (required && context.Request.Path.StartsWithSegments("/v1/builds", StringComparison.Ordinal)
                && !context.RequestServices.GetRequiredService<BuilderApiKey>().IsAuthorized(context.Request.Headers.Authorization))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                await context.Response.WriteAsJsonAsync(new { error = "This API needs 'Authorization: Bearer <API key>'; the key is in secrets/builder-api.key in the state directory (or Service:ApiKey)." });
                return;
            }

            await next(context);
        });
        var metrics = app.Services.GetRequiredService<BuildMetrics>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(metrics.CollectAsync);
        app.UseHttpMetrics();
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
