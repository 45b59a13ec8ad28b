using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Benchmarks;

/// <summary>A backend that answers at once: what is left of an invocation is the invoker's own work.</summary>
internal sealed class NullBackend(BackendInventory inventory) : IActionBackend
{
    private static readonly JsonObject Result = new() { ["ok"] = true };

    public string Name => "null";

    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) => Task.FromResult(inventory);

    public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new BackendRun(ActivationStatus.Success, Result, [], false, false, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero));

    public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsBackendFailure(Exception exception) => false;
}
