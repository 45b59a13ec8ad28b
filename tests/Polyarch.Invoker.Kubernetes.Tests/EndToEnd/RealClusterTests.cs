using Microsoft.Extensions.Logging.Abstractions;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using k8s;

namespace Polyarch.Invoker.Kubernetes.Tests.EndToEnd;

/// <summary>
/// Opt-in end-to-end test against a real cluster (see invoker/deploy/README.md): one exec activation of an echo-like
/// image per platform the cluster has. POLYARCH_K8S_E2E_IMAGE is "repository@sha256:index" and
/// POLYARCH_K8S_E2E_VARIANTS "linux/amd64=sha256:…,linux/arm64=sha256:…".
/// </summary>
[Trait("Category", "E2E")]
public sealed class RealClusterTests
{
    [RealClusterFact]
    public async Task I_can_run_an_exec_action_on_every_platform_of_a_real_cluster()
    {
        var image = ImageFromEnvironment();
        var variants = VariantsFromEnvironment();
        variants.ShouldNotBeEmpty("Set POLYARCH_K8S_E2E_VARIANTS=linux/amd64=sha256:…,linux/arm64=sha256:…");
        var options = new KubernetesBackendOptions { Instance = $"e2e-{Guid.NewGuid():N}"[..20], StartTimeout = TimeSpan.FromMinutes(3) };
        var (client, ns) = KubernetesConnection.Connect(options);
        await using var inventory = new NodeInventory(client, NullLogger<NodeInventory>.Instance, TimeProvider.System);
        using var http = new HttpClient();
        await using var backend = new KubernetesBackend(inventory, new PodClient(client, ns, NullLogger<PodClient>.Instance), options, new InvokerOptions(), null, http, new Polyarch.Invoker.Pool.WarmPool(Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.Pool.WarmPoolOptions()), TimeProvider.System, NullLogger<Polyarch.Invoker.Pool.WarmPool>.Instance), TimeProvider.System, NullLogger<KubernetesBackend>.Instance);
        await backend.StartAsync(CancellationToken.None);

        var platforms = variants.Where(v => inventory.Snapshot.SchedulableOn(v.Platform).Any()).ToList();
        platforms.ShouldNotBeEmpty("the cluster has none of the image's platforms");
        foreach (var variant in platforms)
        {
            var run = await backend.RunAsync(new PodRequest
            {
                ActionName = "e2e-echo",
                ActivationId = Guid.NewGuid().ToString("N"),
                RepositoryName = image.Split('@')[0],
                IndexDigest = image.Split('@')[1],
                Variants = variants,
                Platform = variant.Platform,
                MemoryBytes = 64L << 20,
                Cpus = 0.1,
                ParamsJson = """{"e2e":true}""",
            }, CancellationToken.None);

            run.Status.ShouldBe(ActivationStatus.Success, $"{variant.Platform}: {run.Result?.ToJsonString()}");
            run.Platform.ShouldBe(variant.Platform);
        }

        (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: KubernetesLabels.InstanceSelector(options.Instance))).Items.ShouldBeEmpty();
    }

    [RealClusterFact]
    public async Task I_can_reach_a_warm_http_action_through_the_api_servers_port_forward_on_a_real_cluster()
    {
        // examples/echo without arguments serves the OpenWhisk action proxy on :8080, which this reaches from outside the
        // cluster through pods/portforward (the RBAC in invoker/deploy/rbac.yaml allows it).
        var image = ImageFromEnvironment();
        var variants = VariantsFromEnvironment();
        var options = new KubernetesBackendOptions { Instance = $"e2e-{Guid.NewGuid():N}"[..20], StartTimeout = TimeSpan.FromMinutes(3), PodAccess = PodAccess.PortForward };
        var (client, ns) = KubernetesConnection.Connect(options);
        await using var inventory = new NodeInventory(client, NullLogger<NodeInventory>.Instance, TimeProvider.System);
        using var http = new HttpClient();
        // The warm pod lives in the core's pool: disposing the pool deletes it.
        await using (var pool = new Polyarch.Invoker.Pool.WarmPool(Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.Pool.WarmPoolOptions()), TimeProvider.System, NullLogger<Polyarch.Invoker.Pool.WarmPool>.Instance))
        await using (var backend = new KubernetesBackend(inventory, new PodClient(client, ns, NullLogger<PodClient>.Instance), options, new InvokerOptions(), null, http, pool, TimeProvider.System, NullLogger<KubernetesBackend>.Instance))
        {
            await backend.StartAsync(CancellationToken.None);
            var variant = variants.FirstOrDefault(v => inventory.Snapshot.SchedulableOn(v.Platform).Any())
                ?? throw new InvalidOperationException("The cluster has none of POLYARCH_K8S_E2E_VARIANTS' platforms.");
            var request = new PodRequest
            {
                ActionName = "e2e-echo-http",
                ActivationId = Guid.NewGuid().ToString("N"),
                RepositoryName = image.Split('@')[0],
                IndexDigest = image.Split('@')[1],
                Variants = variants,
                Platform = variant.Platform,
                MemoryBytes = 64L << 20,
                Cpus = 0.1,
                Protocol = ActionProtocol.Http,
                Port = int.TryParse(Environment.GetEnvironmentVariable("POLYARCH_K8S_E2E_PORT"), out var port) ? port : 8080,
                ParamsJson = """{"e2e":"http"}""",
            };

            var cold = await backend.RunAsync(request, CancellationToken.None);
            var warm = await backend.RunAsync(request with { ActivationId = Guid.NewGuid().ToString("N") }, CancellationToken.None);

            cold.Status.ShouldBe(ActivationStatus.Success, $"{variant.Platform}: {cold.Result?.ToJsonString()}");
            warm.Status.ShouldBe(ActivationStatus.Success, $"{variant.Platform}: {warm.Result?.ToJsonString()}");
            warm.Cold.ShouldBeFalse();
            warm.Container.ShouldBe(cold.Container);
        }

        (await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: KubernetesLabels.InstanceSelector(options.Instance))).Items.ShouldBeEmpty("the warm pod is deleted when the backend is disposed");
    }

    private static string ImageFromEnvironment() =>
        Environment.GetEnvironmentVariable("POLYARCH_K8S_E2E_IMAGE")
            ?? throw new InvalidOperationException("Set POLYARCH_K8S_E2E_IMAGE=repository@sha256:<index digest> (an index the cluster's nodes can pull).");

    private static List<VariantInfo> VariantsFromEnvironment() =>
        [.. (Environment.GetEnvironmentVariable("POLYARCH_K8S_E2E_VARIANTS") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => v.Split('=', 2))
            .Select(v => new VariantInfo(v[0], v[1], new Dictionary<string, string>()))];
}
