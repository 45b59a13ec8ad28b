using System.Globalization;

namespace Polyarch.Invoker.Placement;

/// <summary>What one activation needs from the machine or node: GPUs, memory, CPUs and TPUs.</summary>
public sealed record Requirements(int Gpus, long MemoryBytes, double Cpus, int Tpus = 0)
{
    /// <summary>CPUs in millicores, rounded up (Kubernetes' unit).</summary>
    public long MilliCpu => (long)Math.Ceiling(Cpus * 1000);

    /// <summary>A compact key part, e.g. "256Mi/1000m/0gpu/0tpu" (pool keys, messages).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Quantity.Format(MemoryBytes)}/{MilliCpu}m/{Gpus}gpu/{Tpus}tpu");
}
