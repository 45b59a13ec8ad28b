using System.Collections.Concurrent;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Testing.Fakes;

/// <summary>Activation records in memory (unit tests of the invoker's core).</summary>
internal sealed class MemoryActivations : IActivationStore
{
    public ConcurrentDictionary<string, ActivationRecord> Records { get; } = new();

    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken)
    {
        Records[record.ActivationId] = record;
        return Task.CompletedTask;
    }

    public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) => Task.FromResult(Records.GetValueOrDefault(activationId));

    public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActivationRecord>>([.. Records.Values.Where(r => action is null || r.Action == action).Take(limit)]);
}
