using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Polyarch.Builder.Hosting;
using Prometheus;

namespace Polyarch.Builder.Fitness;

/// <summary>What makes the builder's `serve` fit to run unattended: the API key on every endpoint not marked anonymous, body limits, /metrics, the OpenAPI document.</summary>
internal static class BuilderFitnessExtensions
{
    public static IServiceCollection AddPolyarchBuilderFitness(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BuilderServiceOptions>().Bind(configuration.GetSection(BuilderServiceOptions.SectionName))
            .Validate(o => o.ApiKey is null || o.ApiKey.Length >= 16, "Service:ApiKey is shorter than 16 characters. Use a random key (e.g. `openssl rand -hex 32`) or leave it unset to generate secrets/builder-api.key.")
            .Validate(o => o.MaxRequestBodyBytes >= 1024, "Service:MaxRequestBodyBytes must be at least 1024 (the default is 1048576, 1 MiB).")
            .ValidateOnStart();
        services.AddSingleton<BuilderApiKey>();

        // Deny by default: every endpoint needs the API key (checked by endpoint metadata after routing, so the path's
        // case cannot route around it) unless it is mapped with AllowAnonymous().
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
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

        app.UseRouting();
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        var metrics = app.Services.GetRequiredService<BuildMetrics>();
        Metrics.DefaultRegistry.AddBeforeCollectCallback(metrics.CollectAsync);

        // Not anonymous: /metrics tells what is built and reads the build store at every scrape (scrape it with the key,
        // Prometheus' `authorization: {credentials_file: …/secrets/builder-api.key}`); /openapi describes an API only key holders can call.
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
