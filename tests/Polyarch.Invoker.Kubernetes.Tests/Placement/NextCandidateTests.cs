using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

namespace Polyarch.Invoker.Kubernetes.Tests.Placement;

/// <summary>
/// One placement decision: the core ranks the candidates (variant, node group); when the backend refuses the best
/// (no node of its architecture has room) the next is tried; only when none is left does it fail, naming each.
/// </summary>
public sealed class NextCandidateTests
{
    private const string Image = "127.0.0.1:5000/demo/echo:latest";

    [Fact]
    public async Task A_three_platform_index_whose_preferred_arm64_nodes_are_full_runs_on_amd64()
    {
        // arm64 and ppc64le nodes have 2Gi: a 4Gi activation does not fit there, the amd64 node has room.
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64", cpu: "4", memory: "16Gi"), Node("arm64-1", "arm64", cpu: "4", memory: "2Gi"), Node("ppc64le-1", "ppc64le", cpu: "4", memory: "2Gi"));
        var action = Action(memoryMb: 4096, cpus: 1);

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, new JsonObject { ["x"] = 1 }), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Platform.ShouldBe("linux/amd64");
        record.ChildDigest.ShouldBe(EchoImage.Amd64);
        record.Node.ShouldBe("amd64-1");
        record.Result!["arch"]!.GetValue<string>().ShouldBe("x86_64");
    }

    [Fact]
    public async Task With_every_pool_full_the_why_not_names_each_candidate_and_its_reason()
    {
        // The cluster's largest node per resource (16Gi, 8 cpus) takes 10Gi and 6 cpus, so the core ranks every variant;
        // no single node has both.
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64", cpu: "4", memory: "16Gi"), Node("arm64-1", "arm64", cpu: "8", memory: "8Gi"), Node("ppc64le-1", "ppc64le", cpu: "8", memory: "8Gi"));
        var action = Action(memoryMb: 10 * 1024, cpus: 6);

        var failure = await Should.ThrowAsync<PlacementException>(() => cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token()));

        failure.Candidates.Select(c => (c.Variant, c.Target)).ShouldBe(
            [("linux/arm64", "arm64-1"), ("linux/amd64", "amd64-1"), ("linux/ppc64le", "ppc64le-1")], ignoreOrder: true);
        failure.Candidates.Single(c => c.Target == "amd64-1").Reason.ShouldContain("not enough cpu (needs 6, allocatable 4)");
        failure.Candidates.Single(c => c.Target == "arm64-1").Reason.ShouldContain("not enough memory (needs 10Gi, allocatable 8Gi)");
        failure.Candidates.Single(c => c.Target == "ppc64le-1").Reason.ShouldContain("not enough memory (needs 10Gi, allocatable 8Gi)");
        cluster.Activations.Records.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_unpinned_run_pulls_the_index_with_affinity_to_every_architecture_it_may_run()
    {
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64", cpu: "4", memory: "16Gi"), Node("arm64-1", "arm64", cpu: "4", memory: "8Gi"), Node("ppc64le-1", "ppc64le", cpu: "4", memory: "8Gi"));
        var action = Action(memoryMb: 256, cpus: 1) with { Placement = new ActionPlacement() };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        // The pod was not pinned: the record names the variant of the node it ran on.
        var expected = record.Node switch { "amd64-1" => ("linux/amd64", EchoImage.Amd64), "arm64-1" => ("linux/arm64", EchoImage.Arm64), _ => ("linux/ppc64le", EchoImage.Ppc64le) };
        (record.Platform, record.ChildDigest).ShouldBe(expected);
        var pod = cluster.Created.ShouldHaveSingleItem();
        pod.Spec.Containers[0].Image.ShouldBe($"{EchoImage.Repository}@{EchoImage.Index}");
        var arch = pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
            .SelectMany(t => t.MatchExpressions).Single(e => e.Key == "kubernetes.io/arch");
        arch.OperatorProperty.ShouldBe("In");
        arch.Values.ShouldBe(["amd64", "arm64", "ppc64le"], ignoreOrder: true);
    }

    [Fact]
    public async Task An_unpinned_run_keeps_to_the_actions_allowed_platforms()
    {
        await using var cluster = await PlacementCluster.StartAsync(
            Node("amd64-1", "amd64", cpu: "4", memory: "16Gi"), Node("arm64-1", "arm64", cpu: "4", memory: "8Gi"), Node("ppc64le-1", "ppc64le", cpu: "4", memory: "8Gi"));
        var action = Action(memoryMb: 256, cpus: 1) with { Placement = new ActionPlacement { Required = ["linux/arm64", "linux/ppc64le"] } };

        var record = await cluster.Invoker(action).InvokeAsync(new InvocationRequest(action.Name, []), TestTimeout.Token());

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Node.ShouldNotBe("amd64-1");
        var arch = cluster.Created.ShouldHaveSingleItem().Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
            .SelectMany(t => t.MatchExpressions).Single(e => e.Key == "kubernetes.io/arch");
        arch.Values.ShouldBe(["arm64", "ppc64le"], ignoreOrder: true);
    }

    private static ActionDefinition Action(int memoryMb, double cpus) => new()
    {
        Name = "echo",
        Image = Image,
        Protocol = ActionProtocol.Exec,
        MemoryMb = memoryMb,
        Cpus = cpus,
        Placement = new ActionPlacement { Preferred = ["linux/arm64"] },
    };
}
