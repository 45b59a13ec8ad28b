using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Triggers;
using Prometheus;

namespace Polyarch.Invoker.Fitness;

/// <summary>What makes `serve` fit to run unattended: exposure checks, API keys, /metrics and the OpenAPI document.</summary>
internal static class FitnessExtensions
{
    public static IServiceCollection AddPolyarchFitness(this IServiceCollection services, IConfiguration configuration, string urls)
    {
        services.AddOptions<ServiceOptions>().Bind(configuration.GetSection(ServiceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServiceOptions>>(new ServiceOptionsValidator(urls));
        services.AddSingleton<ApiKey>();
        services.AddHostedService<ApiKeyFileWriter>();

        // Deny by default: every endpoint needs the API key (checked by endpoint metadata after routing, so the path's
        // case cannot route around it) unless it is mapped with AllowAnonymous().
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser().Build());
        services.AddOpenApi();

        // Every stored activation is counted, whoever ran it (REST, CLI in serve, rules). The factory called here only
        // resolves what the container owns (ActivationRecorder), so the container still disposes — flushes — it.
        var registered = services.Last(d => d.ServiceType == typeof(IActivationStore));
        services.Remove(registered);
        services.AddSingleton<IActivationStore>(sp => new MeteredActivationStore(
            (IActivationStore)registered.ImplementationFactory!(sp), sp.GetRequiredService<TriggerMetrics>()));
        return services;
    }

    public static WebApplication UsePolyarchFitness(this WebApplication app)
    {
        app.UseRouting();
        app.UseHttpMetrics();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMiddleware<RequestBodyLimitMiddleware>();

        // Not anonymous: /metrics tells who runs what and how often (scrape it with the key, Prometheus'
        // `authorization: {credentials_file: …/secrets/invoker-api.key}`); /openapi describes an API only key holders can call.
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
