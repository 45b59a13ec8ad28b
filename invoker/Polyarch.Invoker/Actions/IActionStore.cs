namespace Polyarch.Invoker.Actions;

/// <summary>Where action definitions live.</summary>
public interface IActionStore
{
    Task PutAsync(ActionDefinition action, CancellationToken cancellationToken);

    /// <summary>The action, or null when there is none with that name.</summary>
    Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken);

    Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>True when an action was deleted.</summary>
    Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
