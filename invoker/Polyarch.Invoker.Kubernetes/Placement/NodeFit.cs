using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>
/// The scheduler's filters, as far as the inventory lets us judge them before creating anything: readiness,
/// cordon, os/arch affinity, node selector, allocatable cpu/memory/GPU/TPU and NoSchedule/NoExecute taints.
/// Running pods' requests are not subtracted (the invoker does not watch every pod), so a fitting node may still
/// be full: the scheduler's Unschedulable condition covers that after creation.
/// </summary>
internal static class NodeFit
{
    public static List<string> Reasons(ClusterNode node, IReadOnlyList<VariantInfo> variants, Requirements needs, IReadOnlyDictionary<string, string> nodeSelector)
    {
        var reasons = new List<string>();
        if (!node.Ready)
        {
            reasons.Add("not Ready");
        }

        if (node.Cordoned)
        {
            reasons.Add("cordoned (unschedulable)");
        }

        if (!variants.Any(v => v.Os == node.Os))
        {
            reasons.Add($"wrong OS {node.Os} (image has {string.Join(", ", variants.Select(v => v.Os).Distinct())})");
        }
        else if (!variants.Any(v => v.Matches(node.Platform)))
        {
            reasons.Add($"wrong architecture {node.Architecture} (pod may run {string.Join(", ", variants.Select(v => v.Architecture).Distinct())})");
        }

        foreach (var (key, value) in nodeSelector)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                reasons.Add($"node selector {key}={value} not matched");
            }
        }

        if (needs.Gpus > node.Allocatable.Gpus)
        {
            reasons.Add(node.Allocatable.Gpus == 0 ? $"no GPU (needs {needs.Gpus} {KubernetesLabels.NvidiaGpu})" : $"not enough GPUs (needs {needs.Gpus}, allocatable {node.Allocatable.Gpus})");
        }

        if (needs.Tpus > node.Allocatable.Tpus)
        {
            reasons.Add(node.Allocatable.Tpus == 0 ? $"no TPU (needs {needs.Tpus} {KubernetesLabels.GoogleTpu})" : $"not enough TPUs (needs {needs.Tpus}, allocatable {node.Allocatable.Tpus})");
        }

        if (needs.MemoryBytes > node.Allocatable.MemoryBytes)
        {
            reasons.Add($"not enough memory (needs {Quantity.Format(needs.MemoryBytes)}, allocatable {Quantity.Format(node.Allocatable.MemoryBytes)})");
        }

        if (needs.MilliCpu > node.Allocatable.MilliCpu)
        {
            reasons.Add($"not enough cpu (needs {Quantity.FormatMilliCpu(needs.MilliCpu)}, allocatable {Quantity.FormatMilliCpu(node.Allocatable.MilliCpu)})");
        }

        foreach (var taint in node.Taints)
        {
            if (taint.Effect is "NoSchedule" or "NoExecute" && !AcceleratorTolerations.Tolerates(needs, taint) && taint.Key != KubernetesLabels.Unschedulable)
            {
                reasons.Add($"tainted {taint} (not tolerated)");
            }
        }

        return reasons;
    }
}
