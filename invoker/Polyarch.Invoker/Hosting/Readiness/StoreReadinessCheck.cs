using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>The invoker database opens with its schema.</summary>
internal sealed class StoreReadinessCheck(TriggerDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy("invoker.db opens");
        }
        catch (Exception exception) when (exception is SqliteException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The invoker database cannot be opened: {exception.Message}. Check Invoker:StateDirectory.");
        }
    }
}
