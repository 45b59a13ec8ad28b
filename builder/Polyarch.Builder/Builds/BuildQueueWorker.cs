using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Builds;

/// <summary>Runs queued builds, <see cref="BuilderOptions.Concurrency"/> at a time; re-queues interrupted ones at start-up.</summary>
internal sealed partial class BuildQueueWorker(
    IBuildStore store,
    BuildExecutor executor,
    BuildQueueSignal signal,
    BuildProgressHub progress,
    OrphanedBakes orphans,
    IOptions<BuilderOptions> options,
    ILogger<BuildQueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private readonly int _concurrency = options.Value.Concurrency;
    private readonly bool _enabled = options.Value.ProcessQueue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_enabled)
        {
            return;
        }

        // A builder killed with -9 leaves its bake running (reparented to init): end it before the build runs again beside it.
        foreach (var id in await store.RunningIdsAsync(stoppingToken))
        {
            await orphans.EndAsync(id, stoppingToken);
        }

        var requeued = await store.RequeueRunningAsync(stoppingToken);
        if (requeued > 0)
        {
            Log.Requeued(logger, requeued);
        }

        var running = new ConcurrentDictionary<string, Task>();
        using var slots = new SemaphoreSlim(_concurrency, _concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                var build = await store.ClaimNextAsync(stoppingToken);
                if (build is null)
                {
                    slots.Release();
                    await signal.WaitAsync(PollInterval, stoppingToken);
                    continue;
                }

                running[build.Id] = Task.Run(async () =>
                {
                    try
                    {
                        await executor.ExecuteAsync(build, p => progress.Publish(build.Id, p), stoppingToken, onRecorded: () => progress.Complete(build.Id));
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        // Re-queued by the executor; runs again at the next start-up.
                    }
#pragma warning disable CA1031 // A worker must survive any one build's failure.
                    catch (Exception exception)
#pragma warning restore CA1031
                    {
                        Log.Crashed(logger, build.Id, exception);
                    }
                    finally
                    {
                        progress.Complete(build.Id);
                        running.TryRemove(build.Id, out _);
                        slots.Release();
                        signal.Notify();
                    }
                }, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await Task.WhenAll(running.Values);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Re-queued {Count} builds that were running when the builder stopped")]
        public static partial void Requeued(ILogger logger, int count);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Build {BuildId} crashed the worker")]
        public static partial void Crashed(ILogger logger, string buildId, Exception exception);
    }
}
