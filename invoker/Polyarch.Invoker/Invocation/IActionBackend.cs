using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Invocation;

/// <summary>Something that runs placed variants: the Docker engine here, Kubernetes later.</summary>
internal interface IActionBackend
{
    public string Name { get; }

    /// <summary>The platforms, GPUs, memory and CPUs this backend offers (cached after the first call).</summary>
    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken);

    /// <summary>Runs one activation; failures of the action are results, not exceptions.</summary>
    public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken);

    /// <summary>Starts up to <paramref name="count"/> warm containers for the context's pool key.</summary>
    public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken);
}
