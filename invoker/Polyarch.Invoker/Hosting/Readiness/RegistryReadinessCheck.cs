using System.Net;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry.Client;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>The registry images are resolved from (Triggers:DefaultRegistry) answers <c>GET /v2/</c> (any HTTP answer, 401 included: it is there).</summary>
internal sealed class RegistryReadinessCheck(IOptions<TriggerOptions> triggers, IOptions<RegistryOptions> registryOptions, IHttpClientFactory httpClients) : IHealthCheck
{
    public const string HttpClientName = "readiness";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var registry = triggers.Value.DefaultRegistry;
        var plainHttp = IsLoopback(registry) || registryOptions.Value.InsecureHosts.Contains(registry, StringComparer.OrdinalIgnoreCase);
        var url = new Uri($"{(plainHttp ? "http" : "https")}://{registry}/v2/");
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName).GetAsync(url, cancellationToken);
            return (int)response.StatusCode < 500
                ? HealthCheckResult.Healthy($"{registry} answers ({(int)response.StatusCode})")
                : HealthCheckResult.Unhealthy($"{url} answered {(int)response.StatusCode}. Check the registry (scripts/host.sh status).");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{url} does not answer: {exception.Message}. Start the registry (scripts/host.sh up) or set Triggers:DefaultRegistry.");
        }
    }

    private static bool IsLoopback(string registry)
    {
        var host = registry.StartsWith('[') ? registry[1..registry.IndexOf(']', StringComparison.Ordinal)] : registry.Split(':')[0];
        return host is "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
