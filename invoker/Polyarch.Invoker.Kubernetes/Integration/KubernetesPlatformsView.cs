using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Integration;

/// <summary>`polyarch-invoker platforms --backend kubernetes`: the inventory grouped by platform.</summary>
internal static class KubernetesPlatformsView
{
    public static string Text(ClusterSnapshot snapshot, IReadOnlyList<string> localityLabels)
    {
        var builder = new StringBuilder();
        foreach (var (platform, nodes) in snapshot.ByPlatform.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var schedulable = nodes.Count(n => n.Schedulable);
            builder.Append(CultureInfo.InvariantCulture, $"{platform}: {schedulable} of {nodes.Count} nodes schedulable").AppendLine();
            foreach (var node in nodes)
            {
                var state = node.Schedulable ? "Ready" : node.Ready ? "cordoned" : "NotReady";
                var a = node.Allocatable;
                builder.Append(CultureInfo.InvariantCulture, $"  {node.Name,-24} {state,-9} cpu={Quantity.FormatMilliCpu(a.MilliCpu)} memory={Quantity.Format(a.MemoryBytes)} gpu={a.Gpus} tpu={a.Tpus}");
                foreach (var accelerator in node.Accelerators)
                {
                    builder.Append(' ').Append(accelerator);
                }

                foreach (var label in localityLabels.Where(node.Labels.ContainsKey))
                {
                    builder.Append(' ').Append(label).Append('=').Append(node.Labels[label]);
                }

                if (node.Taints.Count > 0)
                {
                    builder.Append(" taints=").AppendJoin(",", node.Taints);
                }

                builder.AppendLine();
            }
        }

        return builder.Length == 0 ? "the cluster has no nodes" + Environment.NewLine : builder.ToString();
    }

    public static string Json(ClusterSnapshot snapshot, IReadOnlyList<string> localityLabels)
    {
        var platforms = new JsonObject();
        foreach (var (platform, nodes) in snapshot.ByPlatform.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            platforms[platform] = new JsonArray([.. nodes.Select(n => (JsonNode)new JsonObject
            {
                ["name"] = n.Name,
                ["ready"] = n.Ready,
                ["cordoned"] = n.Cordoned,
                ["schedulable"] = n.Schedulable,
                ["cpu"] = Quantity.FormatMilliCpu(n.Allocatable.MilliCpu),
                ["memoryBytes"] = n.Allocatable.MemoryBytes,
                ["gpus"] = n.Allocatable.Gpus,
                ["tpus"] = n.Allocatable.Tpus,
                ["accelerators"] = new JsonArray([.. n.Accelerators.Select(x => (JsonNode?)x)]),
                ["taints"] = new JsonArray([.. n.Taints.Select(t => (JsonNode?)t.ToString())]),
                ["locality"] = new JsonObject(localityLabels.Where(n.Labels.ContainsKey).Select(l => KeyValuePair.Create(l, (JsonNode?)n.Labels[l]))),
            })]);
        }

        return new JsonObject { ["backend"] = KubernetesBackend.Name, ["resourceVersion"] = snapshot.ResourceVersion, ["platforms"] = platforms }
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
