using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting.Readiness;

/// <summary>The build store (SQLite or PostgreSQL) answers a read.</summary>
internal sealed class StoreReadinessCheck(IBuildStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ListAsync(1, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{store.GetType().Name} answers");
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or IOException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The build store cannot be read: {exception.Message}. Check Store:Provider and Store:ConnectionString (or Builder:StateDirectory for SQLite).");
        }
    }
}
