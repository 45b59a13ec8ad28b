using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Polyarch.Builder.Hosting.Readiness;

/// <summary>/readyz: engine, registry and store, each named in the body when it does not answer (/healthz only says the process answers).</summary>
internal static class ReadinessExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPolyarchBuilderReadiness(this IServiceCollection services)
    {
        services.AddHttpClient(RegistryReadinessCheck.HttpClientName, client => client.Timeout = CheckTimeout);
        services.AddHealthChecks()
            .AddCheck<EngineReadinessCheck>("engine", timeout: CheckTimeout)
            .AddCheck<RegistryReadinessCheck>("registry", timeout: CheckTimeout)
            .AddCheck<StoreReadinessCheck>("store", timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapPolyarchBuilderReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = ReadinessResponse.WriteAsync }).AllowAnonymous();
        return endpoints;
    }
}
