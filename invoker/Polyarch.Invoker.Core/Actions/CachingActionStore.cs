using System.Collections.Concurrent;

namespace Polyarch.Invoker.Actions;

/// <summary>
/// Keeps action lookups off the database on the warm path: a definition (or its absence) is reused for a
/// short time; this process's own writes take effect at once, another process's within the freshness window.
/// </summary>
internal sealed class CachingActionStore(IActionStore inner, TimeProvider timeProvider, TimeSpan freshness) : IActionStore
{
    private readonly ConcurrentDictionary<string, (ActionDefinition? Action, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task PutAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        await inner.PutAsync(action, cancellationToken);
        _cache.TryRemove(action.Name, out _);
    }

    public async Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(name, out var entry) && entry.Expires > now)
        {
            return entry.Action;
        }

        var action = await inner.GetAsync(name, cancellationToken);
        _cache[name] = (action, now + freshness);
        return action;
    }

    public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) => inner.ListAsync(cancellationToken);

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        var deleted = await inner.DeleteAsync(name, cancellationToken);
        _cache.TryRemove(name, out _);
        return deleted;
    }
}
