using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Records;

/// <summary>Deletes old build logs every <see cref="RetentionOptions.Interval"/> (age and count, <see cref="StoreOptions.Retention"/>).</summary>
internal sealed partial class BuildLogPruner(IBuildStore store, IOptions<StoreOptions> options, TimeProvider time, ILogger<BuildLogPruner> logger) : BackgroundService
{
    private readonly RetentionOptions _retention = options.Value.Retention;

    /// <summary>Prunes once; returns how many log entries were deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        var pruned = await store.PruneLogsAsync(time.GetUtcNow() - _retention.MaxAge, _retention.MaxCount, cancellationToken);
        if (pruned > 0)
        {
            Log.Pruned(logger, pruned, _retention.MaxAge, _retention.MaxCount);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_retention.Interval, time);
        try
        {
            do
            {
                try
                {
                    await PruneAsync(stoppingToken);
                }
                catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException)
                {
                    Log.Failed(logger, exception);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 330, Level = LogLevel.Information, Message = "Deleted {Count} log entries of finished builds (older than {MaxAge} or beyond the newest {MaxCount} builds)")]
        public static partial void Pruned(ILogger logger, int count, TimeSpan maxAge, int maxCount);

        [LoggerMessage(EventId = 331, Level = LogLevel.Warning, Message = "Pruning build logs failed; it is tried again at the next interval")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
