using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Actions;

/// <summary>
/// Actions in the invoker's store, SQLite or PostgreSQL (one JSON document per action, so new fields of
/// <see cref="ActionDefinition"/> need no schema change).
/// </summary>
internal sealed class DbActionStore(StoreDatabase database, TimeProvider timeProvider) : IActionStore
{
    private readonly NamedDocumentTable<ActionDefinition> _actions = new(database.OpenAsync, "actions", timeProvider);

    public Task PutAsync(ActionDefinition action, CancellationToken cancellationToken) =>
        _actions.PutAsync(action.Name, action, cancellationToken);

    public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken) =>
        _actions.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) =>
        _actions.ListAsync(cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        _actions.DeleteAsync(name, cancellationToken);
}
