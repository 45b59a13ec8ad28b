namespace Polyarch.Invoker.State;

/// <summary>Renews a lease every third of its duration while the work it covers runs, on the injected clock.</summary>
internal static class LeaseKeeper
{
    /// <summary>Awaits <paramref name="work"/>, calling <paramref name="renew"/> every <c>lease / 3</c> until it ends.</summary>
    public static async Task HoldAsync(Task work, Func<CancellationToken, Task> renew, TimeSpan lease, TimeProvider timeProvider)
    {
        using var stop = new CancellationTokenSource();
        var renewal = RenewAsync(renew, lease / 3, timeProvider, stop.Token);
        try
        {
            await work;
        }
        finally
        {
            await stop.CancelAsync();
            await renewal;
        }
    }

    private static async Task RenewAsync(Func<CancellationToken, Task> renew, TimeSpan period, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, timeProvider, cancellationToken);
                await renew(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A renewal that fails (the database away for a moment) is tried again; the lease may lapse meanwhile.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
