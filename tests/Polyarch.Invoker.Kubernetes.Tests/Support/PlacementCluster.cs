using System.Collections.Concurrent;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Integration;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>
/// The core's <see cref="ActionInvoker"/> on the Kubernetes backend against an API-server double with the given nodes:
/// the echo image's variants run on their architectures, http actions answer through an action-proxy double, and every
/// action pod the backend creates is kept (pods named <c>blocker-…</c>, someone else's, are served and left out).
/// </summary>
internal sealed class PlacementCluster : IAsyncDisposable
{
    private readonly ActionProxyDouble _proxy;

    private PlacementCluster(ApiServerDouble.ApiServerDouble server, BackendHarness harness, ActionProxyDouble proxy)
    {
        Server = server;
        Harness = harness;
        _proxy = proxy;
        Backend = new KubernetesActionBackend(harness.Backend, TimeProvider.System);
    }

    public ApiServerDouble.ApiServerDouble Server { get; }

    public BackendHarness Harness { get; }

    public KubernetesActionBackend Backend { get; }

    /// <summary>The action pods the backend created, as the API server received them, in order.</summary>
    public ConcurrentQueue<V1Pod> Created { get; } = new();

    public RecordingActivationStore Activations { get; } = new();

    /// <summary>Pods created since the last ClearCalls (scheduled or not, blockers included).</summary>
    public int PodCreates => Server.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/pods", StringComparison.Ordinal));

    public static async Task<PlacementCluster> StartAsync(params V1Node[] nodes)
    {
        var server = await MixedCluster.StartAsync(nodes);
        var proxy = await ActionProxyDouble.StartAsync();
        proxy.RefuseSecondInit = false;
        var cluster = new PlacementCluster(server, await BackendHarness.StartAsync(server), proxy);
        server.Behaviour = pod =>
        {
            if (pod.Metadata.Name.StartsWith("blocker", StringComparison.Ordinal))
            {
                return PodBehaviour.Serve;
            }

            cluster.Created.Enqueue(pod);
            return pod.Spec.Containers[0].Ports is { Count: > 0 } ? PodBehaviour.Serve : PodBehaviour.RunToCompletion;
        };
        return cluster;
    }

        /// <summary>Someone else's pod using <paramref name="gibibytes"/> of the node's memory (the snapshot does not see it).</summary>
        public async Task BlockAsync(string node, int gibibytes)
        {
            var (client, ns) = KubernetesConnection.Connect(Harness.Options);
            using (client as IDisposable)
            {
                var pod = new V1Pod
                {
                    Metadata = new V1ObjectMeta { Name = $"blocker-{node}", Labels = new Dictionary<string, string> { ["app"] = "other" } },
                    Spec = new V1PodSpec
                    {
                        NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = node },
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "other",
                                Image = "other@sha256:" + new string('0', 64),
                                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new($"{gibibytes}Gi"), ["cpu"] = new("100m") } },
                            },
                        ],
                    },
                };
                await k8s.CoreV1OperationsExtensions.CreateNamespacedPodAsync(client.CoreV1, pod, ns, cancellationToken: TestTimeout.Token());
            }

            await Eventually.TrueAsync(() => Server.Pod($"blocker-{node}")?.Spec.NodeName == node, $"the blocker runs on {node}");
        }

    /// <summary>An invoker that knows <paramref name="action"/> only, with the backend's warm pool.</summary>
    public ActionInvoker Invoker(ActionDefinition action) => new(
        new SingleActionStore(action),
        Activations,
        new EchoCatalog(_proxy.Port),
        Backend,
        TimeProvider.System,
        Options.Create(new InvokerOptions()),
        NullLogger<ActionInvoker>.Instance,
        Harness.Pool);

    public async ValueTask DisposeAsync()
    {
        Backend.Dispose();
        await Harness.DisposeAsync();
        await _proxy.DisposeAsync();
        await Server.DisposeAsync();
    }
}
