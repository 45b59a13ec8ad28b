namespace Polyarch.Invoker.Kubernetes.Inventory;

/// <summary>Allocatable resources of a node: millicores, bytes, whole GPUs and TPUs.</summary>
internal sealed record NodeResources(long MilliCpu, long MemoryBytes, int Gpus, int Tpus);
