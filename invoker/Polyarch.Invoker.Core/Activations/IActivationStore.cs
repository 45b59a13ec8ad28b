namespace Polyarch.Invoker.Activations;

/// <summary>Where activation records live.</summary>
public interface IActivationStore
{
    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken);

    /// <summary>Stores several records; a store that can do it in one transaction overrides this.</summary>
    public async Task SaveManyAsync(IReadOnlyList<ActivationRecord> records, CancellationToken cancellationToken)
    {
        foreach (var record in records)
        {
            await SaveAsync(record, cancellationToken);
        }
    }

    /// <summary>The record, or null when there is none with that id.</summary>
    public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken);

    /// <summary>The newest records first, optionally of one action.</summary>
    public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken);
}
