using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Testing.Fakes;

/// <summary>A backend whose inventory and runs a test scripts: the boundary between the core and a real engine or cluster.</summary>
internal sealed class ScriptedBackend(BackendInventory inventory) : IActionBackend
{
    public string Name => inventory.Backend;

    /// <summary>What a run does; by default it succeeds at once.</summary>
    public Func<ActivationContext, Task<BackendRun>> Run { get; set; } = _ =>
        Task.FromResult(new BackendRun(ActivationStatus.Success, new System.Text.Json.Nodes.JsonObject { ["ok"] = true }, [], false, true, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    /// <summary>Which exceptions are this backend's own failures.</summary>
    public Func<Exception, bool> Failure { get; set; } = _ => false;

    public List<ActivationContext> Runs { get; } = [];

    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) => Task.FromResult(inventory);

    public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        Runs.Add(context);
        return Run(context);
    }

    public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsBackendFailure(Exception exception) => Failure(exception);
}
