using System.Globalization;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>What one pod needs from a node: requests = limits for memory and cpu, whole GPUs and TPUs.</summary>
internal sealed record PodNeeds(long MemoryBytes, long MilliCpu, int Gpus, int Tpus)
{
    /// <summary>The pool key part for limits, e.g. "256Mi/1000m/0gpu/0tpu".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Quantities.Bytes(MemoryBytes)}/{MilliCpu}m/{Gpus}gpu/{Tpus}tpu");
}
