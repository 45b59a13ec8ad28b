namespace Polyarch.Invoker.Actions;

/// <summary>Where action definitions live.</summary>
public interface IActionStore
{
    public Task PutAsync(ActionDefinition action, CancellationToken cancellationToken);

    /// <summary>The action, or null when there is none with that name.</summary>
    public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken);

    public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>True when an action was deleted.</summary>
    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
