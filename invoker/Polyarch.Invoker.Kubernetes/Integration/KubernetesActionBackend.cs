using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Integration;

/// <summary>
/// The invoker core's view of the Kubernetes backend. The inventory it reports is the cluster's largest node per
/// resource (coarse: the core picks the variant), then <see cref="KubernetesBackend"/> places the pod on a real node,
/// with the per-node why-not table when none fits.
/// </summary>
internal sealed class KubernetesActionBackend(KubernetesBackend backend, TimeProvider time) : IActionBackend, IDisposable
{
    private readonly SemaphoreSlim _start = new(1, 1);
    private volatile bool _started;

    public string Name => KubernetesBackend.Name;

    public async Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        var snapshot = backend.Inventory.Snapshot;
        var schedulable = snapshot.Nodes.Where(n => n.Schedulable).ToList();
        var platforms = schedulable
            .GroupBy(n => n.Platform, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new BackendPlatform(g.Key, Emulated: false))
            .ToList();
        return new BackendInventory(
            Name,
            $"cluster ({schedulable.Count} of {snapshot.Nodes.Count} nodes schedulable)",
            platforms,
            schedulable.Select(n => n.Allocatable.Gpus).DefaultIfEmpty(0).Max(),
            schedulable.Select(n => n.Allocatable.MemoryBytes).DefaultIfEmpty(0).Max(),
            (int)(schedulable.Select(n => n.Allocatable.MilliCpu).DefaultIfEmpty(0).Max() / 1000),
            schedulable.Select(n => n.Allocatable.Tpus).DefaultIfEmpty(0).Max())
        {
            // Data-locality wishes are weighed against the nodes of each platform; GPU products are the nodes' labels.
            NodeLabels = schedulable.GroupBy(n => n.Platform, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => (IReadOnlyList<IReadOnlyDictionary<string, string>>)[.. g.Select(n => n.Labels)], StringComparer.Ordinal),
            GpuProducts = [.. schedulable.Where(n => n.Allocatable.Gpus > 0 && n.Labels.ContainsKey(KubernetesLabels.NvidiaGpuProduct))
                .Select(n => n.Labels[KubernetesLabels.NvidiaGpuProduct]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        };
    }

    public async Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken);
        return await backend.RunAsync(KubernetesRequests.From(context, time), cancellationToken);
    }

    /// <summary>Starts warm http pods for the context's key (action, platform, digest, limits), like the Docker pool.</summary>
    public async Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Protocol != Actions.ActionProtocol.Http)
        {
            return;
        }

        await EnsureStartedAsync(cancellationToken);
        await backend.PrewarmAsync(KubernetesRequests.From(context, time), count, cancellationToken);
    }

    /// <inheritdoc />
    public bool IsBackendFailure(Exception exception) => exception is ClusterUnavailableException;

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        await _start.WaitAsync(cancellationToken);
        try
        {
            if (!_started)
            {
                await backend.StartAsync(cancellationToken);
                _started = true;
            }
        }
        finally
        {
            _start.Release();
        }
    }

    // The backend and its inventory are container singletons too: the container disposes them.
    public void Dispose() => _start.Dispose();
}
