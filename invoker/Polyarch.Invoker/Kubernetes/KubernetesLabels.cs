namespace Polyarch.Invoker.Kubernetes;

/// <summary>Well-known label, taint and resource names the Kubernetes backend reads and writes.</summary>
internal static class KubernetesLabels
{
    public const string Managed = "io.polyarch.managed";
    public const string Instance = "io.polyarch.instance";
    public const string Action = "io.polyarch.action";
    public const string Activation = "io.polyarch.activation";

    /// <summary>Annotation with the full action name when it does not fit a label value.</summary>
    public const string ActionAnnotation = "io.polyarch.action-name";
    public const string ImageAnnotation = "io.polyarch.image";
    public const string PlatformAnnotation = "io.polyarch.platform";

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
    public static string InstanceSelector(string instance) => $"{Managed}=true,{Instance}={LabelValue.Sanitize(instance)}";
}
