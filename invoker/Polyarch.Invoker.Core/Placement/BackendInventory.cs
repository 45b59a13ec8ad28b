namespace Polyarch.Invoker.Placement;

/// <summary>What a backend can run: its platforms (native first), GPUs, memory, CPUs and TPUs (none on Docker).</summary>
public sealed record BackendInventory(
    string Backend,
    string Node,
    IReadOnlyList<BackendPlatform> Platforms,
    int Gpus,
    long MemoryBytes,
    int Cpus,
    int Tpus = 0)
{
    /// <summary>
    /// The labels of the schedulable nodes of each platform (Kubernetes), which data-locality wishes are weighed
    /// against; empty on a backend with one machine (Docker), where data locality does not apply.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> NodeLabels { get; init; } =
        new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>();

    /// <summary>The GPU products the backend's nodes name (nvidia.com/gpu.product); null when it cannot tell (Docker).</summary>
    public IReadOnlyList<string>? GpuProducts { get; init; }
}
