using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>Kubernetes' own label, taint and resource names the backend reads and writes (Polyarch's are in <see cref="ImageLabels"/>).</summary>
internal static class KubernetesLabels
{
    public const string Os = "kubernetes.io/os";
    public const string Arch = "kubernetes.io/arch";

    public const string NvidiaGpu = "nvidia.com/gpu";
    public const string GoogleTpu = "google.com/tpu";
    public const string NvidiaGpuProduct = "nvidia.com/gpu.product";
    public const string GkeTpuAccelerator = "cloud.google.com/gke-tpu-accelerator";
    public const string GkeAccelerator = "cloud.google.com/gke-accelerator";

    public const string Unschedulable = "node.kubernetes.io/unschedulable";

    /// <summary>Node labels that name an accelerator (shown in the inventory).</summary>
    public static readonly IReadOnlyList<string> AcceleratorLabels = [NvidiaGpuProduct, GkeTpuAccelerator, GkeAccelerator];

    /// <summary>The selector that finds every pod this invoker instance started.</summary>
    public static string InstanceSelector(string instance) => $"{ImageLabels.Managed}=true,{ImageLabels.Instance}={LabelValue.Sanitize(instance)}";
}
