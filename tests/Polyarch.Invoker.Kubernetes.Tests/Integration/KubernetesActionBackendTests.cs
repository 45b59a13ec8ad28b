using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Integration;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Tests.Integration;

/// <summary>The invoker core's IActionBackend view of the cluster: coarse inventory, runs reported with the node.</summary>
public sealed class KubernetesActionBackendTests : MixedClusterBackendTests
{
    [Fact]
    public async Task The_inventory_lists_the_clusters_platforms_natively_with_its_largest_node_resources()
    {
        using var backend = new KubernetesActionBackend(Harness.Backend, TimeProvider.System);

        var inventory = await backend.GetInventoryAsync(TestTimeout.Token());

        inventory.Backend.ShouldBe("kubernetes");
        inventory.Platforms.Select(p => p.ToString()).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        inventory.Gpus.ShouldBe(1);
        inventory.MemoryBytes.ShouldBe(32L << 30);
        inventory.Cpus.ShouldBe(8);
    }

    [Fact]
    public async Task A_placed_exec_activation_runs_as_a_pinned_pod_and_reports_its_node()
    {
        using var backend = new KubernetesActionBackend(Harness.Backend, TimeProvider.System);
        var variants = EchoImage.Variants().Select(v => new VariantInfo(v.Platform, v.Digest, v.Labels)).ToList();
        var image = new ImageVariants("127.0.0.1:5000/demo/echo:latest", EchoImage.Repository, EchoImage.Index, variants);
        var decision = new PlacementDecision(variants[2], new BackendPlatform("linux/ppc64le", false), new Requirements(0, 128L << 20, 0.5));
        var context = new ActivationContext("4f3c2b1a", ActionDefinition.ForImage(image.Image), image, decision, ActionProtocol.Exec, 8080,
            new JsonObject { ["x"] = 7 }, DateTimeOffset.MaxValue);

        var run = await backend.RunAsync(context, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        run.Node.ShouldBe(MixedCluster.Ppc64le);
        run.Result!["arch"]!.GetValue<string>().ShouldBe("ppc64le");
        run.Result!["params"]!["x"]!.GetValue<int>().ShouldBe(7);
        run.Cold.ShouldBeTrue();
    }
}
