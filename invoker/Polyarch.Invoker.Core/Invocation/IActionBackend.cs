using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Invocation;

/// <summary>Something that runs placed variants: the Docker engine or a Kubernetes cluster. The core knows no backend beyond this.</summary>
internal interface IActionBackend
{
    public string Name { get; }

    /// <summary>The platforms, GPUs, memory and CPUs this backend offers (cached after the first call).</summary>
    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken);

    /// <summary>Runs one activation; failures of the action are results, not exceptions.</summary>
    public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken);

    /// <summary>Starts up to <paramref name="count"/> warm containers for the context's pool key.</summary>
    public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken);

    /// <summary>
    /// Whether an exception out of <see cref="RunAsync"/> is this backend's own failure (its engine or cluster
    /// refused or is unreachable, an image cannot be pulled): the activation then records a system error.
    /// Network, I/O and timeout exceptions count as such for every backend; this adds the backend's own types.
    /// </summary>
    public bool IsBackendFailure(Exception exception);
}
