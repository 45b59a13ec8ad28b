namespace Polyarch.Invoker.Activations;

/// <summary>Where activation records live.</summary>
public interface IActivationStore
{
    Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken);

    /// <summary>The record, or null when there is none with that id.</summary>
    Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken);

    /// <summary>The newest records first, optionally of one action.</summary>
    Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken);
}
