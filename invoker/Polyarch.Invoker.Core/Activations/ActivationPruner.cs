using Microsoft.Extensions.Options;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Activations;

/// <summary>
/// Deletes activation records older than <see cref="ActivationRetentionOptions.MaxAge"/> and beyond
/// <see cref="ActivationRetentionOptions.MaxCount"/>, at start-up and every <see cref="ActivationRetentionOptions.Interval"/>
/// on the injected clock; on a shared store one replica prunes at a time (an advisory lock).
/// </summary>
internal sealed partial class ActivationPruner(
    DbActivationStore store,
    StoreDatabase database,
    IOptions<ActivationRetentionOptions> options,
    TimeProvider timeProvider,
    ILogger<ActivationPruner> logger) : BackgroundService
{
    /// <summary>One pass; returns how many records went, or null when another replica prunes now.</summary>
    public async Task<int?> PruneAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value;
        await using var leadership = await database.TryLeadAsync(LeaderKeys.Retention, cancellationToken);
        if (leadership is null)
        {
            return null;
        }

        var pruned = await store.PruneAsync(
            retention.MaxAge > TimeSpan.Zero ? timeProvider.GetUtcNow() - retention.MaxAge : null,
            retention.MaxCount > 0 ? retention.MaxCount : null,
            cancellationToken);
        if (pruned > 0)
        {
            LogPruned(pruned, retention.MaxAge, retention.MaxCount);
        }

        return pruned;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPruneFailed(exception);
            }

            await Task.Delay(options.Value.Interval, timeProvider, stoppingToken);
        }
    }

    [LoggerMessage(EventId = 1401, Level = LogLevel.Information, Message = "Pruned {Count} activation records (Activations:Retention: MaxAge {MaxAge}, MaxCount {MaxCount})")]
    private partial void LogPruned(int count, TimeSpan maxAge, int maxCount);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Pruning activation records failed; trying again after Activations:Retention:Interval")]
    private partial void LogPruneFailed(Exception exception);
}
