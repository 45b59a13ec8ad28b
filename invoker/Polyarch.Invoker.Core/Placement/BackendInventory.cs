namespace Polyarch.Invoker.Placement;

/// <summary>What a backend can run: its platforms (native first), GPUs, memory, CPUs and TPUs (none on Docker).</summary>
public sealed record BackendInventory(
    string Backend,
    string Node,
    IReadOnlyList<BackendPlatform> Platforms,
    int Gpus,
    long MemoryBytes,
    int Cpus,
    int Tpus = 0);
