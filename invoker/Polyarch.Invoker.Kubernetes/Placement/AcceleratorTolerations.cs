using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>
/// The taints an accelerator node pool carries and a pod needing that accelerator tolerates: <c>nvidia.com/gpu</c> and
/// <c>google.com/tpu</c> (any value, as GKE's <c>=present</c>) with NoSchedule and NoExecute — GKE taints GPU and TPU
/// pools NoSchedule, EKS accelerated node groups and the NVIDIA GPU operator's guides use NoExecute. The one list both the
/// pod builder (the pod's tolerations) and the node fit (which taints a pod tolerates) read, so placement never judges a
/// node to fit that the scheduler then refuses.
/// </summary>
internal static class AcceleratorTolerations
{
    private static readonly string[] Effects = ["NoSchedule", "NoExecute"];

    /// <summary>The (key, effect) pairs a pod with these needs tolerates: GPU pods the GPU taints, TPU pods the TPU ones.</summary>
    public static IReadOnlyList<(string Key, string Effect)> For(Requirements needs)
    {
        ArgumentNullException.ThrowIfNull(needs);
        var keys = new List<string>();
        if (needs.Gpus > 0)
        {
            keys.Add(KubernetesLabels.NvidiaGpu);
        }

        if (needs.Tpus > 0)
        {
            keys.Add(KubernetesLabels.GoogleTpu);
        }

        return [.. keys.SelectMany(key => Effects.Select(effect => (key, effect)))];
    }

    /// <summary>Whether a pod with these needs tolerates the taint (same key, same effect).</summary>
    public static bool Tolerates(Requirements needs, NodeTaint taint)
    {
        ArgumentNullException.ThrowIfNull(taint);
        return For(needs).Contains((taint.Key, taint.Effect));
    }
}
