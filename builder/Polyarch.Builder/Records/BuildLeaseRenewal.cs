using System.Data.Common;

namespace Polyarch.Builder.Records;

/// <summary>
/// Renews every lease a replica holds every third of the lease duration, from its first claim until it stops; a
/// replica that dies stops renewing, and once its leases expire another replica claims its builds again.
/// </summary>
internal sealed partial class BuildLeaseRenewal(BuildDatabase database, string owner, TimeSpan lease, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _renewal;

    /// <summary>Starts renewing, once (a store that shares no work has no leases to renew).</summary>
    public void EnsureRunning()
    {
        if (!database.IsShared)
        {
            return;
        }

        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _renewal ??= Task.Run(() => RenewAsync(_stopping.Token));
            }
        }
    }

    /// <summary>Stops renewing (shutdown); the claimed builds go to another replica once their leases expire.</summary>
    public async Task StopAsync()
    {
        Task? renewal;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            renewal = _renewal;
        }

        if (renewal is not null)
        {
            await renewal;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stopping.Dispose();
    }

    // One statement renews every lease this replica holds.
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(lease / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var connection = await database.OpenAsync(cancellationToken);
                    await connection.ExecuteAsync("UPDATE builds SET lease_expires = @expires WHERE lease_owner = @owner AND status = 'running'",
                        cancellationToken, ("expires", time.GetUtcNow() + lease), ("owner", owner));
                }
                catch (DbException exception)
                {
                    Log.RenewFailed(logger, owner, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Replica {Owner} could not renew its build leases; they expire unless the next renewal succeeds")]
        public static partial void RenewFailed(ILogger logger, string owner, Exception exception);
    }
}
