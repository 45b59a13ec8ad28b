using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>The invoker's store (SQLite or PostgreSQL) opens with its schema.</summary>
internal sealed class StoreReadinessCheck(TriggerDatabase database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            return HealthCheckResult.Healthy("the store opens");
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or IOException or UnauthorizedAccessException)
        {
            return HealthCheckResult.Unhealthy($"The invoker's store cannot be opened: {exception.Message}. Check Store:Provider and Store:ConnectionString (PostgreSQL) or Invoker:StateDirectory (SQLite).");
        }
    }
}
