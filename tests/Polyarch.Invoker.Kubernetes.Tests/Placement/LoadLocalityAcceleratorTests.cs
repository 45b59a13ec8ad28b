using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Placement;

/// <summary>
/// Issue 12 on the API-server double, through the core's ActionInvoker: a node pool that fills up after the snapshot
/// (the scheduler says Unschedulable) makes the core try the next candidate; the ranking weighs data locality and the
/// warm pool's load; accelerators become limits, a product node selector and tolerations.
/// </summary>
public sealed class LoadLocalityAcceleratorTests
{
    private const string Image = "127.0.0.1:5000/demo/echo:latest";

    [Fact]
    public async Task A_three_platform_index_whose_arm64_nodes_fill_up_at_run_time_runs_on_amd64()
    {
        // The snapshot only knows allocatable (8Gi on arm64); a pod of someone else already uses 7Gi there.
        await using var cluster = await PlacementCluster.StartAsync(Node("amd64-1", "amd64", memory: "16Gi"), Node("arm64-1", "arm64", memory: "8Gi"), Node("ppc64le-1", "ppc64le", memory: "8Gi"));
        await cluster.BlockAsync("arm64-1", 7);
        cluster.Server.ClearCalls();
        var action = Action(memoryMb: 2048) with { Placement = new ActionPlacement { Preferred = ["linux/arm64"] } };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, new JsonObject { ["x"] = 1 }), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Platform.ShouldBe("linux/amd64", "arm64 is preferred but its node is full at run time: the next candidate ran");
        record.ChildDigest.ShouldBe(EchoImage.Amd64);
        record.Node.ShouldBe("amd64-1");
        cluster.PodCreates.ShouldBe(2, "arm64 was tried first, then amd64");
        cluster.Created.ShouldHaveSingleItem().Spec.Containers[0].Image.ShouldBe($"{EchoImage.Repository}@{EchoImage.Amd64}");
        cluster.Server.Pods().Where(p => !p.Metadata.Name.StartsWith("blocker", StringComparison.Ordinal)).Select(p => p.Spec.NodeName).ShouldBe(["amd64-1"], "the unschedulable pod was deleted");
    }

    [Fact]
    public async Task With_every_pool_full_at_run_time_the_why_not_names_each_candidate_and_the_schedulers_reason()
    {
        await using var cluster = await PlacementCluster.StartAsync(Node("amd64-1", "amd64", memory: "8Gi"), Node("arm64-1", "arm64", memory: "8Gi"), Node("ppc64le-1", "ppc64le", memory: "8Gi"));
        foreach (var node in new[] { "amd64-1", "arm64-1", "ppc64le-1" })
        {
            await cluster.BlockAsync(node, 7);
        }

        cluster.Server.ClearCalls();

        var action = Action(memoryMb: 2048);

        var failure = await Should.ThrowAsync<PlacementException>(() => cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token()));

        failure.Candidates.Select(c => c.Variant).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        failure.Candidates.ShouldAllBe(c => c.Target == "scheduler" && c.Reason.Contains("unschedulable at run time") && c.Reason.Contains("Insufficient memory"));
        cluster.PodCreates.ShouldBe(3, "each candidate was tried once");
        cluster.Created.ShouldBeEmpty("none was scheduled");
        cluster.Server.Pods().ShouldAllBe(p => p.Metadata.Name.StartsWith("blocker", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_locality_ranks_the_platform_whose_nodes_hold_the_data_first()
    {
        // Index order puts amd64 first; only the arm64 node holds the dataset.
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64", labels: new Dictionary<string, string> { ["polyarch.io/dataset"] = "none" }),
            Node("arm64-1", "arm64", labels: new Dictionary<string, string> { ["polyarch.io/dataset"] = "sales" }),
            Node("ppc64le-1", "ppc64le"));
        var action = Action(memoryMb: 256) with
        {
            Placement = new ActionPlacement { DataLocality = [new DataLocalityPreference { Label = "polyarch.io/dataset", Value = "sales", Weight = 80 }] },
        };

        var inventory = await cluster.Backend.GetInventoryAsync(TestTimeout.Token());
        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token());

        PlacementEngine.LocalityScore(inventory, "linux/arm64", action.Placement.DataLocality).ShouldBe(80);
        PlacementEngine.LocalityScore(inventory, "linux/amd64", action.Placement.DataLocality).ShouldBe(0);
        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Node.ShouldBe("arm64-1");
        record.Platform.ShouldBe("linux/arm64");
    }

    [Fact]
    public async Task An_idle_warm_pod_of_a_candidate_ranks_it_first()
    {
        await using var cluster = await PlacementCluster.StartAsync(Node("amd64-1", "amd64"), Node("arm64-1", "arm64"), Node("ppc64le-1", "ppc64le"));
        var action = Action(memoryMb: 256);
        var invoker = cluster.Invoker(action);

        var first = await invoker.InvokeAsync(new InvocationRequest(action.Name, [], Platform: "linux/ppc64le"), TestTimeout.Token());
        var second = await invoker.InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token());

        first.Cold.ShouldBeTrue();
        first.Platform.ShouldBe("linux/ppc64le");
        second.Platform.ShouldBe("linux/ppc64le", "the idle warm ppc64le pod beats index order (amd64 first)");
        second.Cold.ShouldBeFalse();
        cluster.Created.Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_gpu_action_with_a_product_gets_the_limit_the_product_selector_and_the_toleration()
    {
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64"),
            Node("amd64-t4", "amd64", gpus: 2, labels: new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "Tesla-T4" }, taints: [Taint("nvidia.com/gpu", "present")]),
            Node("amd64-a100", "amd64", gpus: 2, labels: new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100" }, taints: [Taint("nvidia.com/gpu", "present")]));
        var action = Action(memoryMb: 256, protocol: ActionProtocol.Exec) with { Gpus = 1, GpuProduct = "NVIDIA-A100" };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, [], Platform: "linux/amd64"), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Node.ShouldBe("amd64-a100");
        var pod = cluster.Created.ShouldHaveSingleItem();
        pod.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString().ShouldBe("1");
        pod.Spec.NodeSelector.ShouldBe(new Dictionary<string, string> { ["nvidia.com/gpu.product"] = "NVIDIA-A100" });
        pod.Spec.Tolerations.ShouldContain(t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists");

        var missing = action with { GpuProduct = "H100" };
        var refused = await Should.ThrowAsync<PlacementException>(() => cluster.Invoker(missing).InvokeAsync(new InvocationRequest(missing.Name, []), TestTimeout.Token()));
        refused.Message.ShouldContain("requires GPU product H100 but the kubernetes backend's GPU nodes have NVIDIA-A100, Tesla-T4");
    }

    [Fact]
    public async Task A_tpu_action_gets_the_tpu_limit_and_toleration_and_runs_on_a_tpu_node()
    {
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64"),
            Node("amd64-tpu", "amd64", tpus: 4, taints: [Taint("google.com/tpu", "present")]));
        var action = Action(memoryMb: 256, protocol: ActionProtocol.Exec) with { Tpus = 2 };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, [], Platform: "linux/amd64"), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Node.ShouldBe("amd64-tpu");
        var pod = cluster.Created.ShouldHaveSingleItem();
        pod.Spec.Containers[0].Resources.Limits["google.com/tpu"].ToString().ShouldBe("2");
        pod.Spec.Tolerations.ShouldContain(t => t.Key == "google.com/tpu" && t.OperatorProperty == "Exists");
    }

    [Theory]
    [InlineData("nvidia.com/gpu", "NoSchedule")]
    [InlineData("nvidia.com/gpu", "NoExecute")]
    [InlineData("google.com/tpu", "NoSchedule")]
    [InlineData("google.com/tpu", "NoExecute")]
    public async Task An_accelerator_pod_tolerates_both_effects_its_node_pool_may_be_tainted_with(string resource, string effect)
    {
        // GKE taints GPU and TPU node pools <resource>=present:NoSchedule; EKS accelerated node groups and the NVIDIA
        // GPU operator's guides use NoExecute too. A pod the placement judged to fit must not be refused by the scheduler.
        var gpu = resource == "nvidia.com/gpu";
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64"),
            Node("amd64-accel", "amd64", gpus: gpu ? 2 : 0, tpus: gpu ? 0 : 4, taints: [Taint(resource, "present", effect)]));
        var action = Action(memoryMb: 256, protocol: ActionProtocol.Exec) with { Gpus = gpu ? 1 : 0, Tpus = gpu ? 0 : 1 };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, [], Platform: "linux/amd64"), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Node.ShouldBe("amd64-accel");
        var tolerations = cluster.Created.ShouldHaveSingleItem().Spec.Tolerations;
        tolerations.Where(t => t.Key == resource && t.OperatorProperty == "Exists").Select(t => t.Effect).ShouldBe(["NoSchedule", "NoExecute"], ignoreOrder: true);
        tolerations.ShouldAllBe(t => t.Key == resource, "a GPU pod tolerates no TPU taint and the other way round");
    }

    private static ActionDefinition Action(int memoryMb, ActionProtocol protocol = ActionProtocol.Http) => new()
    {
        Name = "echo",
        Image = Image,
        Protocol = protocol,
        MemoryMb = memoryMb,
        Cpus = 0.5,
    };
}
