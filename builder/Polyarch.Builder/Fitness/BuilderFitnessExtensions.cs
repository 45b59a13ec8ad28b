using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;
using Prometheus;

namespace Polyarch.Builder.Fitness;

/// <summary>What makes the builder's `serve` fit to run unattended: the API key on every endpoint not marked anonymous, body limits, /metrics, the OpenAPI document.</summary>
internal static class BuilderFitnessExtensions
{
    public static IServiceCollection AddPolyarchBuilderFitness(this IServiceCollection services, IConfiguration configuration, string urls)
    {
        services.AddOptions<BuilderServiceOptions>().Bind(configuration.GetSection(BuilderServiceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BuilderServiceOptions>>(new ServiceOptionsValidator(urls));
        services.AddSingleton<BuilderApiKey>();

        // Deny by default: every endpoint needs the API key (checked by endpoint metadata after routing, so the path's
        // case cannot route around it) unless it is mapped with AllowAnonymous().
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
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

        // Not anonymous: /metrics tells what is built (scrape it with the key,
        // Prometheus' `authorization: {credentials_file: …/secrets/builder-api.key}`); /openapi describes an API only key holders can call.
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
