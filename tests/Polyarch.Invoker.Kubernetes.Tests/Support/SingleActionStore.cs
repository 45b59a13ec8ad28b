using Polyarch.Invoker.Actions;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>An action store that holds one action and ignores writes.</summary>
internal sealed class SingleActionStore(ActionDefinition action) : IActionStore
{
    public Task PutAsync(ActionDefinition definition, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(name == action.Name ? action : null);

    public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActionDefinition>>([action]);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(false);
}
