using System.Collections.Frozen;

namespace Polyarch.Invoker.Kubernetes.Inventory;

/// <summary>An immutable view of the cluster's nodes at one resourceVersion, indexed by platform.</summary>
internal sealed class ClusterSnapshot
{
    public static readonly ClusterSnapshot Empty = new([], "");

    public ClusterSnapshot(IEnumerable<ClusterNode> nodes, string resourceVersion)
    {
        Nodes = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToArray();
        ResourceVersion = resourceVersion;
        ByPlatform = Nodes
            .GroupBy(n => n.Platform, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<ClusterNode>)g.ToArray(), StringComparer.Ordinal);
        ByName = Nodes.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>Nodes by name.</summary>
    public IReadOnlyDictionary<string, ClusterNode> ByName { get; }

    /// <summary>Every node, sorted by name.</summary>
    public IReadOnlyList<ClusterNode> Nodes { get; }

    public string ResourceVersion { get; }

    /// <summary>Nodes grouped by "os/arch".</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ClusterNode>> ByPlatform { get; }

    /// <summary>Ready, uncordoned nodes of one platform (empty when none).</summary>
    public IEnumerable<ClusterNode> SchedulableOn(string platform) =>
        ByPlatform.TryGetValue(platform, out var nodes) ? nodes.Where(n => n.Schedulable) : [];
}
