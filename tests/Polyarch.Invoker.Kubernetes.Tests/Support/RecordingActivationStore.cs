using System.Collections.Concurrent;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>An activation store in memory, so tests can look at every record saved.</summary>
internal sealed class RecordingActivationStore : IActivationStore
{
    public ConcurrentDictionary<string, ActivationRecord> Records { get; } = new();

    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken)
    {
        Records[record.ActivationId] = record;
        return Task.CompletedTask;
    }

    public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) => Task.FromResult(Records.GetValueOrDefault(activationId));

    public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ActivationRecord>>([.. Records.Values]);
}
