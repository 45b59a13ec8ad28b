using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>The backend actions run on answers: the Docker engine's ping, or the Kubernetes backend's inventory.</summary>
internal sealed class BackendReadinessCheck(IActionBackend backend, IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            if (backend.Name == "docker")
            {
                var docker = services.GetRequiredService<DockerClientProvider>();
                await docker.Client.System.PingAsync(cancellationToken);
                return HealthCheckResult.Healthy($"Docker engine at {docker.Endpoint} answers");
            }

            var inventory = await backend.GetInventoryAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{backend.Name} backend answers ({inventory.GetType().Name})");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The {backend.Name} backend does not answer: {exception.Message}. Start the engine (scripts/host.sh up) or check Docker:Endpoint / Invoker:Backend.");
        }
    }
}
