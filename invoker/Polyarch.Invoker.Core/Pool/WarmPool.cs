using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.Pool;

/// <summary>
/// Warm containers per <see cref="PoolKey"/>: one activation at a time per container, a per-key cap (callers
/// wait for a container of their key), a global cap (idle containers of any key are evicted, oldest first),
/// idle timeout, and dead containers dropped. Taking a warm container costs no engine call.
/// </summary>
internal sealed partial class WarmPool : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<PoolKey, KeyState> _keys = [];
    private readonly SemaphoreSlim _global;
    private readonly WarmPoolOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WarmPool> _logger;
    private readonly ITimer _sweeper;
    private readonly ConcurrentDictionary<Task, IWarmContainer> _removals = new();
    private int _total;
    private long _removedAfterActivation;
    private bool _disposed;

    public WarmPool(IOptions<WarmPoolOptions> options, TimeProvider timeProvider, ILogger<WarmPool> logger)
    {
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _global = new SemaphoreSlim(_options.MaxContainers, _options.MaxContainers);
        _sweeper = timeProvider.CreateTimer(_ => _ = SweepAsync(), null, _options.SweepInterval, _options.SweepInterval);
    }

    /// <summary>Containers that exist (idle, busy or starting).</summary>
    public int Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Idle containers of every key.</summary>
    public int IdleTotal
    {
        get
        {
            lock (_gate)
            {
                return _keys.Values.Sum(s => s.Idle.Count);
            }
        }
    }

    /// <summary>Containers one key may have (busy and idle); callers of a full key wait.</summary>
    public int MaxContainersPerKey => _options.MaxContainersPerKey;

    /// <summary>Whether the key has an idle live container, is at its cap with none idle, or neither.</summary>
    public PoolLoad LoadOf(PoolKey key)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out var state))
            {
                return PoolLoad.Available;
            }

            if (state.Idle.Any(e => e.Container.IsAlive))
            {
                return PoolLoad.Idle;
            }

            return state.Count >= _options.MaxContainersPerKey ? PoolLoad.Full : PoolLoad.Available;
        }
    }

    public int IdleCount(PoolKey key)
    {
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var state) ? state.Idle.Count : 0;
        }
    }

    /// <summary>A warm container of the key, or a new one from <paramref name="create"/> (cold).</summary>
    public async Task<PoolLease> AcquireAsync(PoolKey key, Func<CancellationToken, Task<IWarmContainer>> create, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var started = _timeProvider.GetTimestamp();
        KeyState state;
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out state!))
            {
                state = new KeyState(_options.MaxContainersPerKey);
                _keys[key] = state;
            }
        }

        await _global.WaitAsync(cancellationToken);
        try
        {
            await state.Busy.WaitAsync(cancellationToken);
        }
        catch
        {
            _global.Release();
            throw;
        }

        IWarmContainer? warm = null;
        var discard = new List<IWarmContainer>();
        lock (_gate)
        {
            while (state.Idle.Count > 0)
            {
                var candidate = state.Idle[^1].Container;
                state.Idle.RemoveAt(state.Idle.Count - 1);
                if (candidate.IsAlive)
                {
                    warm = candidate;
                    break;
                }

                state.Count--;
                _total--;
                discard.Add(candidate);
            }

            if (warm is null)
            {
                if (_total >= _options.MaxContainers && EvictOldestIdleLocked() is { } evicted)
                {
                    discard.Add(evicted);
                }

                state.Count++;
                _total++;
            }
        }

        DisposeInBackground(discard);
        if (warm is not null)
        {
            return new PoolLease(key, warm, Cold: false, _timeProvider.GetElapsedTime(started));
        }

        try
        {
            var container = await create(cancellationToken);
            return new PoolLease(key, container, Cold: true, _timeProvider.GetElapsedTime(started));
        }
        catch
        {
            lock (_gate)
            {
                state.Count--;
                _total--;
            }

            state.Busy.Release();
            _global.Release();
            throw;
        }
    }

    /// <summary>Containers removed when their activation gave them back not reusable (timed out, cancelled, broken).</summary>
    public long RemovedAfterActivation => Interlocked.Read(ref _removedAfterActivation);

    /// <summary>
    /// Gives a container back: kept warm when <paramref name="reusable"/> and alive, else removed — its slot freed at once —
    /// and, with a <paramref name="reason"/>, logged and counted in <see cref="RemovedAfterActivation"/>.
    /// </summary>
    public void Release(PoolLease lease, bool reusable, string? reason = null)
    {
        ArgumentNullException.ThrowIfNull(lease);
        KeyState state;
        var remove = false;
        lock (_gate)
        {
            state = _keys[lease.Key];
            if (reusable && lease.Container.IsAlive && !_disposed)
            {
                state.Idle.Add(new IdleEntry(lease.Container, _timeProvider.GetUtcNow()));
            }
            else
            {
                state.Count--;
                _total--;
                remove = true;
            }
        }

        if (remove)
        {
            if (reason is not null)
            {
                Interlocked.Increment(ref _removedAfterActivation);
                LogRemovedAfterActivation(lease.Container.Id, lease.Key.Owner, reason);
            }

            DisposeInBackground([lease.Container]);
        }

        state.Busy.Release();
        _global.Release();
    }

    /// <summary>Removes containers idle longer than the idle timeout (and dead idle ones); returns how many.</summary>
    public async Task<int> SweepAsync()
    {
        var expired = new List<IWarmContainer>();
        var cutoff = _timeProvider.GetUtcNow() - _options.IdleTimeout;
        lock (_gate)
        {
            foreach (var state in _keys.Values)
            {
                for (var i = state.Idle.Count - 1; i >= 0; i--)
                {
                    if (state.Idle[i].Since <= cutoff || !state.Idle[i].Container.IsAlive)
                    {
                        expired.Add(state.Idle[i].Container);
                        state.Idle.RemoveAt(i);
                        state.Count--;
                        _total--;
                    }
                }
            }
        }

        foreach (var container in expired)
        {
            LogIdleRemoved(container.Id);
            await DisposeQuietlyAsync(container);
        }

        return expired.Count;
    }

    /// <summary>Drops the idle containers among <paramref name="containerIds"/> (found exited by the engine) and removes them; returns the ids it held.</summary>
    public async Task<IReadOnlyList<string>> DropAsync(IReadOnlySet<string> containerIds)
    {
        var dropped = new List<IWarmContainer>();
        lock (_gate)
        {
            foreach (var state in _keys.Values)
            {
                for (var i = state.Idle.Count - 1; i >= 0; i--)
                {
                    if (containerIds.Contains(state.Idle[i].Container.Id))
                    {
                        dropped.Add(state.Idle[i].Container);
                        state.Idle.RemoveAt(i);
                        state.Count--;
                        _total--;
                    }
                }
            }
        }

        foreach (var container in dropped)
        {
            await DisposeQuietlyAsync(container);
        }

        return [.. dropped.Select(c => c.Id)];
    }

    public async ValueTask DisposeAsync()
    {
        List<IWarmContainer> idle;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            idle = [.. _keys.Values.SelectMany(s => s.Idle.Select(e => e.Container))];
            foreach (var state in _keys.Values)
            {
                _total -= state.Idle.Count;
                state.Count -= state.Idle.Count;
                state.Idle.Clear();
            }
        }

        await _sweeper.DisposeAsync();
        await Task.WhenAll(idle.Select(DisposeQuietlyAsync).Concat(_removals.Keys));
    }

    private IWarmContainer? EvictOldestIdleLocked()
    {
        KeyState? owner = null;
        var index = -1;
        foreach (var state in _keys.Values)
        {
            for (var i = 0; i < state.Idle.Count; i++)
            {
                if (owner is null || state.Idle[i].Since < owner.Idle[index].Since)
                {
                    owner = state;
                    index = i;
                }
            }
        }

        if (owner is null)
        {
            return null;
        }

        var evicted = owner.Idle[index].Container;
        owner.Idle.RemoveAt(index);
        owner.Count--;
        _total--;
        return evicted;
    }

    /// <summary>
    /// Removes containers off the caller's path; <see cref="DisposeAsync"/> waits for the removals still under way, so a
    /// container removed as the invoker stops (its activation cancelled) is gone before the engine's client is.
    /// </summary>
    private void DisposeInBackground(IReadOnlyList<IWarmContainer> containers)
    {
        foreach (var container in containers)
        {
            var removal = DisposeQuietlyAsync(container);
            _removals[removal] = container;
            removal.ContinueWith(done => _removals.TryRemove(done, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task DisposeQuietlyAsync(IWarmContainer container)
    {
        try
        {
            await container.DisposeAsync();
        }
#pragma warning disable CA1031 // Removal is best effort; start-up clean-up by label catches what is left.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRemoveFailed(exception, container.Id);
        }
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Removed idle warm container {ContainerId}")]
    private partial void LogIdleRemoved(string containerId);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Could not remove warm container {ContainerId}")]
    private partial void LogRemoveFailed(Exception exception, string containerId);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Removed warm container {ContainerId} of {Action}: {Reason}")]
    private partial void LogRemovedAfterActivation(string containerId, string action, string reason);

    private sealed record IdleEntry(IWarmContainer Container, DateTimeOffset Since);

    private sealed class KeyState(int cap)
    {
        public SemaphoreSlim Busy { get; } = new(cap, cap);

        public List<IdleEntry> Idle { get; } = [];

        public int Count { get; set; }
    }
}
