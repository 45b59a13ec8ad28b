namespace Polyarch.Invoker.Activations;

/// <summary>Where activation records live.</summary>
public interface IActivationStore
{
    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken);

    /// <summary>The record, or null when there is none with that id.</summary>
    public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken);

    /// <summary>The newest records first, optionally of one action.</summary>
    public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken);
}
