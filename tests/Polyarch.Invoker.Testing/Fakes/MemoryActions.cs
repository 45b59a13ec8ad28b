using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Testing.Fakes;

/// <summary>Actions in memory (unit tests of the invoker's core).</summary>
internal sealed class MemoryActions(params ActionDefinition[] actions) : IActionStore
{
    private readonly Dictionary<string, ActionDefinition> _actions = actions.ToDictionary(a => a.Name);

    public Task PutAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        _actions[action.Name] = action;
        return Task.CompletedTask;
    }

    public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_actions.GetValueOrDefault(name));

    public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActionDefinition>>([.. _actions.Values]);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_actions.Remove(name));
}
