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
        services.AddOpenApi();

        // Every stored activation is counted, whoever ran it (REST, CLI in serve, rules).
        var registered = services.Last(d => d.ServiceType == typeof(IActivationStore));
        services.Remove(registered);
        services.AddSingleton<IActivationStore>(sp => new MeteredActivationStore(
            (IActivationStore)registered.ImplementationFactory!(sp), sp.GetRequiredService<TriggerMetrics>()));
        return services;
    }

    public static WebApplication UsePolyarchFitness(this WebApplication app)
    {
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseHttpMetrics();
        app.MapMetrics("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }
}
