using System.Collections.Frozen;
using System.Globalization;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Inventory;

/// <summary>What placement needs to know about one node, taken from a V1Node.</summary>
internal sealed record ClusterNode(
    string Name,
    string Os,
    string Architecture,
    bool Ready,
    bool Cordoned,
    NodeResources Allocatable,
    IReadOnlyList<NodeTaint> Taints,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>"linux/amd64".</summary>
    public string Platform => $"{Os}/{Architecture}";

    /// <summary>Ready and not cordoned.</summary>
    public bool Schedulable => Ready && !Cordoned;

    public static ClusterNode From(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var labels = (node.Metadata?.Labels ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.Ordinal);
        var allocatable = node.Status?.Allocatable ?? node.Status?.Capacity ?? new Dictionary<string, ResourceQuantity>();
        var ready = node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") ?? false;
        var taints = (node.Spec?.Taints ?? [])
            .Select(t => new NodeTaint(t.Key, string.IsNullOrEmpty(t.Value) ? null : t.Value, t.Effect))
            .ToArray();
        return new ClusterNode(
            node.Metadata?.Name ?? "",
            labels.GetValueOrDefault(KubernetesLabels.Os) ?? node.Status?.NodeInfo?.OperatingSystem ?? "linux",
            labels.GetValueOrDefault(KubernetesLabels.Arch) ?? node.Status?.NodeInfo?.Architecture ?? "unknown",
            ready,
            node.Spec?.Unschedulable ?? false,
            new NodeResources(
                Milli(allocatable, "cpu"),
                Whole(allocatable, "memory"),
                (int)Whole(allocatable, KubernetesLabels.NvidiaGpu),
                (int)Whole(allocatable, KubernetesLabels.GoogleTpu)),
            taints,
            labels);
    }

    /// <summary>The accelerator labels this node carries ("nvidia.com/gpu.product=Tesla-T4").</summary>
    public IEnumerable<string> Accelerators =>
        KubernetesLabels.AcceleratorLabels.Where(Labels.ContainsKey).Select(k => $"{k}={Labels[k]}");

    private static long Milli(IDictionary<string, ResourceQuantity> resources, string name) =>
        resources.TryGetValue(name, out var q) ? (long)Math.Floor(q.ToDecimal() * 1000m) : 0;

    private static long Whole(IDictionary<string, ResourceQuantity> resources, string name) =>
        resources.TryGetValue(name, out var q) ? (long)Math.Floor(q.ToDecimal()) : 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} ({Platform})");
}
