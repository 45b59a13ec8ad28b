using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>/readyz: backend, store and registry, each named in the body when it does not answer (/healthz only says the process answers).</summary>
internal static class ReadinessExtensions
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddPolyarchInvokerReadiness(this IServiceCollection services)
    {
        services.AddHttpClient(RegistryReadinessCheck.HttpClientName, client => client.Timeout = CheckTimeout);
        services.AddHealthChecks()
            .AddCheck<BackendReadinessCheck>("backend", timeout: CheckTimeout)
            .AddCheck<StoreReadinessCheck>("store", timeout: CheckTimeout)
            .AddCheck<RegistryReadinessCheck>("registry", timeout: CheckTimeout);
        return services;
    }

    public static IEndpointRouteBuilder MapPolyarchInvokerReadiness(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = ReadinessResponse.WriteAsync }).WithTags("Health").AllowAnonymous();
        return endpoints;
    }
}
