using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// The idle warm http pods per key: taken by an activation (no API call), given back after it, at most
/// MaxIdlePodsPerKey kept per key, and deleted by a sweep on the TimeProvider once idle for the idle timeout
/// (OpenWhisk: 10 minutes) — the Kubernetes counterpart of the Docker pool's idle list.
/// </summary>
internal sealed partial class IdlePods : IAsyncDisposable
{
    private readonly PodClient _pods;
    private readonly KubernetesBackendOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ConcurrentStack<WarmPod>> _idle = new(StringComparer.Ordinal);
    private readonly ITimer _sweeper;
    private readonly SemaphoreSlim _sweeping = new(1, 1);
    private volatile bool _disposed;

    public IdlePods(PodClient pods, KubernetesBackendOptions options, TimeProvider time, ILogger logger)
    {
        _pods = pods;
        _options = options;
        _time = time;
        _logger = logger;
        _sweeper = time.CreateTimer(_ => _ = SweepAsync(), null, options.SweepInterval, options.SweepInterval);
    }

    public int Count => _idle.Values.Sum(s => s.Count);

    public int CountOf(string key) => _idle.TryGetValue(key, out var stack) ? stack.Count : 0;

    /// <summary>The most recently used idle pod of the key (warmest caches), if any.</summary>
    public bool TryTake(string key, out WarmPod? pod)
    {
        pod = null;
        return _idle.TryGetValue(key, out var stack) && stack.TryPop(out pod);
    }

    /// <summary>Keeps the pod idle, or deletes it when its key already has MaxIdlePodsPerKey idle pods or on shutdown.</summary>
    public async Task ReturnAsync(WarmPod pod)
    {
        pod.LastUsed = _time.GetTimestamp();
        var stack = _idle.GetOrAdd(pod.Key, _ => new ConcurrentStack<WarmPod>());
        if (_disposed || stack.Count >= _options.MaxIdlePodsPerKey)
        {
            await _pods.DeleteAsync(pod.Name, CancellationToken.None);
            return;
        }

        stack.Push(pod);
    }

    /// <summary>Deletes pods idle longer than the idle timeout; returns how many.</summary>
    public async Task<int> EvictAsync(CancellationToken cancellationToken)
    {
        var expired = new List<WarmPod>();
        foreach (var (_, stack) in _idle)
        {
            var keep = new List<WarmPod>();
            while (stack.TryPop(out var pod))
            {
                (_time.GetElapsedTime(pod.LastUsed) >= _options.IdleTimeout ? expired : keep).Add(pod);
            }

            keep.Reverse();
            foreach (var pod in keep)
            {
                stack.Push(pod);
            }
        }

        foreach (var pod in expired)
        {
            await _pods.DeleteAsync(pod.Name, cancellationToken);
        }

        return expired.Count;
    }

    private async Task SweepAsync()
    {
        if (_disposed || !await _sweeping.WaitAsync(0))
        {
            return;
        }

        try
        {
            var evicted = await EvictAsync(CancellationToken.None);
            if (evicted > 0)
            {
                LogEvicted(_logger, evicted, _options.IdleTimeout);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The sweep runs on a timer: a failed delete is retried by the next sweep or the start-up orphan clean-up.
            LogSweepFailed(_logger, ex);
        }
        finally
        {
            _sweeping.Release();
        }
    }

    /// <summary>Stops the sweep and deletes every idle pod.</summary>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await _sweeper.DisposeAsync();
        foreach (var (_, stack) in _idle)
        {
            while (stack.TryPop(out var pod))
            {
                await _pods.DeleteAsync(pod.Name, CancellationToken.None);
            }
        }
    }

    [LoggerMessage(EventId = 6130, Level = LogLevel.Information, Message = "Deleted {Count} warm pods idle for {IdleTimeout} or longer")]
    private static partial void LogEvicted(ILogger logger, int count, TimeSpan idleTimeout);

    [LoggerMessage(EventId = 6131, Level = LogLevel.Warning, Message = "The idle sweep of warm pods failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
