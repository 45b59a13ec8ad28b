using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Fitness;

/// <summary>Counts every activation stored (by status and platform) and its duration, then stores it.</summary>
internal sealed class MeteredActivationStore(IActivationStore inner, TriggerMetrics metrics) : IActivationStore
{
    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken)
    {
        metrics.Activation(record.Status, record.Platform ?? "unknown", record.End - record.Start);
        return inner.SaveAsync(record, cancellationToken);
    }

    public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) => inner.GetAsync(activationId, cancellationToken);

    public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(action, limit, cancellationToken);
}
