using k8s.Models;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>The simulated mixed cluster: two amd64 nodes (one with a tainted GPU), one arm64, one ppc64le.</summary>
internal static class MixedCluster
{
    public const string Amd64 = "amd64-1";
    public const string Gpu = "amd64-gpu";
    public const string Arm64 = "arm64-1";
    public const string Ppc64le = "ppc64le-1";

    public static IEnumerable<V1Node> Nodes() =>
    [
        Node(Amd64, "amd64", cpu: "4", memory: "16Gi", labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-a", ["polyarch.io/dataset"] = "sales" }),
        Node(Gpu, "amd64", cpu: "8", memory: "32Gi", gpus: 1,
            labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-b", ["nvidia.com/gpu.product"] = "Tesla-T4" },
            taints: [Taint("nvidia.com/gpu", "present")]),
        Node(Arm64, "arm64", cpu: "4", memory: "8Gi", labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-b" }),
        Node(Ppc64le, "ppc64le", cpu: "4", memory: "8Gi", labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = "zone-c" }),
    ];

    public static Task<ApiServerDouble.ApiServerDouble> StartAsync() => StartAsync(Nodes());

    /// <summary>An API-server double with <paramref name="nodes"/> that runs the echo image's variants on their architectures.</summary>
    public static async Task<ApiServerDouble.ApiServerDouble> StartAsync(IEnumerable<V1Node> nodes)
    {
        var server = await ApiServerDouble.ApiServerDouble.StartAsync();
        foreach (var node in nodes)
        {
            server.AddNode(node);
        }

        server.RegisterDigest(EchoImage.Amd64, "amd64");
        server.RegisterDigest(EchoImage.Arm64, "arm64");
        server.RegisterDigest(EchoImage.Ppc64le, "ppc64le");
        return server;
    }
}
