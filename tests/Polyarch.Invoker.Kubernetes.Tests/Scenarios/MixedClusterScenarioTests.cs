using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Scenarios;

/// <summary>The scenarios on the simulated mixed cluster (2 amd64 incl. a tainted GPU node, 1 arm64, 1 ppc64le).</summary>
public sealed class MixedClusterScenarioTests : IAsyncLifetime
{
    private ApiServerDouble.ApiServerDouble _server = null!;
    private BackendHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await MixedCluster.StartAsync();
        _harness = await BackendHarness.StartAsync(_server);
    }

    public async Task DisposeAsync()
    {
        _server.Failures.ShouldBeEmpty("the API-server double itself failed");
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Theory]
    [InlineData("linux/amd64", "amd64", EchoImage.Amd64, "x86_64")]
    [InlineData("linux/arm64", "arm64", EchoImage.Arm64, "aarch64")]
    [InlineData("linux/ppc64le", "ppc64le", EchoImage.Ppc64le, "ppc64le")]
    public async Task Each_platform_lands_on_a_node_of_its_architecture_with_the_pinned_child_digest(string platform, string arch, string digest, string uname)
    {
        var run = await _harness.Backend.RunAsync(EchoImage.Request(platform: platform), TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        run.Platform.ShouldBe(platform);
        run.ChildDigest.ShouldBe(digest);
        run.Image.ShouldBe($"{EchoImage.Repository}@{digest}");
        var node = MixedCluster.Nodes().Single(n => n.Metadata.Name == run.Node);
        node.Metadata.Labels["kubernetes.io/arch"].ShouldBe(arch);
        run.Result!["arch"]!.GetValue<string>().ShouldBe(uname);
        run.Result!["params"]!["x"]!.GetValue<int>().ShouldBe(1);
        run.Logs.ShouldBe([$"starting on {run.Node}", run.Result.ToJsonString()]);
        _server.Pods().ShouldBeEmpty("the pod is deleted after use");
        await Eventually.TrueAsync(() => _server.OpenWatches == 1, "only the node watch stays open");
    }

    [Fact]
    public async Task An_exec_activation_makes_only_its_own_pod_calls_create_watch_log_delete()
    {
        _server.ClearCalls();

        var run = await _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/arm64"), TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success);
        var pod = $"/api/v1/namespaces/polyarch/pods/{run.Container}";
        _server.Calls.Select(c => c.ToString()).ShouldBe(
        [
            "POST /api/v1/namespaces/polyarch/pods",
            "GET /api/v1/namespaces/polyarch/pods (watch)",
            $"GET {pod}/log",
            $"DELETE {pod}",
        ]);
    }

    [Fact]
    public async Task The_gpu_needing_amd64_variant_goes_to_the_gpu_node_with_the_toleration()
    {
        var request = EchoImage.Request(platform: "linux/amd64") with
        {
            Variants = EchoImage.Variants(amd64Labels: new Dictionary<string, string> { [ImageLabels.RequiresGpu] = "nvidia" }),
        };

        var pod = _harness.Backend.Plan(request, out _);
        var run = await _harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        run.Node.ShouldBe(MixedCluster.Gpu);
        pod.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString().ShouldBe("1");
        pod.Spec.Tolerations.Select(t => $"{t.Key}:{t.Effect}").ShouldBe(["nvidia.com/gpu:NoSchedule", "nvidia.com/gpu:NoExecute"], ignoreOrder: true);
    }

    [Fact]
    public async Task Without_the_gpu_label_the_amd64_variant_cannot_use_the_tainted_gpu_node()
    {
        var run = await _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/amd64"), TestTimeout.Token());

        run.Node.ShouldBe(MixedCluster.Amd64);
    }

    [Fact]
    public async Task Data_locality_prefers_the_labelled_node_but_runs_elsewhere_when_it_is_full()
    {
        // Any platform may run it; the data warehouse's "sales" dataset lives next to amd64-1.
        var request = EchoImage.Request() with
        {
            MemoryBytes = 4L << 30,
            DataLocality = [new DataLocalityPreference { Label = "polyarch.io/dataset", Value = "sales", Weight = 80 }],
        };

        var first = await _harness.Backend.RunAsync(request, TestTimeout.Token());
        first.Node.ShouldBe(MixedCluster.Amd64);

        // Fill the preferred node: a long-running pod takes 14Gi of its 16Gi.
        _server.Behaviour = p => p.Metadata.Name.Contains("blocker", StringComparison.Ordinal) ? PodBehaviour.Serve : PodBehaviour.RunToCompletion;
        var blocker = _harness.Backend.Plan(EchoImage.Request("blocker", "linux/amd64") with { MemoryBytes = 14L << 30 }, out _);
        await CreateAsync(blocker);
        _server.Pod(blocker.Metadata.Name)!.Spec.NodeName.ShouldBe(MixedCluster.Amd64);

        var second = await _harness.Backend.RunAsync(request with { ActivationId = "second" }, TestTimeout.Token());

        second.Status.ShouldBe(ActivationStatus.Success, second.Result?.ToJsonString());
        second.Node.ShouldBeOneOf(MixedCluster.Arm64, MixedCluster.Ppc64le);
        second.ChildDigest.ShouldBe(second.Node == MixedCluster.Arm64 ? EchoImage.Arm64 : EchoImage.Ppc64le, "the record names the variant the node pulled");
    }

    [Fact]
    public async Task An_image_without_a_ppc64le_variant_never_targets_the_ppc64le_node()
    {
        var request = EchoImage.Request() with { Variants = EchoImage.Variants(withPpc64le: false) };

        var pod = _harness.Backend.Plan(request, out var placement);
        var run = await _harness.Backend.RunAsync(request, TestTimeout.Token());

        placement.Pinned.ShouldBeFalse();
        placement.Image.ShouldBe($"{EchoImage.Repository}@{EchoImage.Index}", "several platforms: each node pulls its own variant from the index");
        var arch = pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms.Single()
            .MatchExpressions.Single(e => e.Key == "kubernetes.io/arch");
        arch.Values.ShouldBe(["amd64", "arm64"]);
        run.Status.ShouldBe(ActivationStatus.Success);
        run.Node.ShouldNotBe(MixedCluster.Ppc64le);
        Should.Throw<PlacementFailedException>(() => _harness.Backend.Plan(request with { Platform = "linux/ppc64le" }, out _))
            .Message.ShouldContain("has no variant for linux/ppc64le (it has linux/amd64, linux/arm64)");
    }

    [Fact]
    public async Task No_fitting_node_fails_with_the_per_node_reason_table_before_creating_anything()
    {
        _server.ClearCalls();
        var request = EchoImage.Request() with { MemoryBytes = 20L << 30, Gpus = 0, Cpus = 2 };

        var failure = await Should.ThrowAsync<NoFittingNodeException>(() => _harness.Backend.RunAsync(request, TestTimeout.Token()));

        var reasons = failure.Verdicts.ToDictionary(v => v.Node, v => string.Join("; ", v.Reasons));
        reasons[MixedCluster.Amd64].ShouldBe("not enough memory (needs 20Gi, allocatable 16Gi)");
        reasons[MixedCluster.Gpu].ShouldBe("tainted nvidia.com/gpu=present:NoSchedule (not tolerated)");
        reasons[MixedCluster.Arm64].ShouldBe("not enough memory (needs 20Gi, allocatable 8Gi)");
        reasons[MixedCluster.Ppc64le].ShouldBe("not enough memory (needs 20Gi, allocatable 8Gi)");
        failure.Message.ShouldContain("NODE");
        failure.Message.ShouldContain("WHY NOT");
        // The core's why-not table (REST 422, activation records): one candidate per node, with its variant and reason.
        failure.ShouldBeAssignableTo<Polyarch.Invoker.Placement.PlacementException>();
        failure.Candidates.Select(c => (c.Target, c.Variant)).ShouldBe(
            [(MixedCluster.Amd64, "linux/amd64"), (MixedCluster.Gpu, "linux/amd64"), (MixedCluster.Arm64, "linux/arm64"), (MixedCluster.Ppc64le, "linux/ppc64le")], ignoreOrder: true);
        failure.Candidates.Single(c => c.Target == MixedCluster.Arm64).Reason.ShouldBe("not enough memory (needs 20Gi, allocatable 8Gi)");
        // The inventory's own node watch may (re)connect at any time in the background; nothing else may happen.
        _server.Calls.Where(c => !(c.IsWatch && c.Path == "/api/v1/nodes")).ShouldBeEmpty("nothing is created when no node fits");
    }

    [Fact]
    public async Task Image_pull_back_off_is_a_system_error_with_the_pull_message()
    {
        _server.Behaviour = _ => PodBehaviour.ImagePullBackOff;
        _server.PullMessage = "failed to pull and unpack image \"127.0.0.1:5000/demo/echo@sha256:bbbb\": http: server gave HTTP response to HTTPS client";

        var run = await _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/arm64"), TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.SystemError);
        var error = run.Result!["error"]!.GetValue<string>();
        error.ShouldContain("ErrImagePull");
        error.ShouldContain("server gave HTTP response to HTTPS client");
        error.ShouldContain(MixedCluster.Arm64);
        _server.Pods().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_variant_whose_binary_is_for_another_architecture_is_an_exec_format_developer_error()
    {
        // The index says arm64 but the layer holds an amd64 binary: the arm64 node cannot exec it.
        _server.RegisterDigest(EchoImage.Arm64, "amd64");

        var run = await _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/arm64"), TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        run.Result!["error"]!.GetValue<string>().ShouldStartWith("exec format error on node arm64-1 (linux/arm64)");
        run.Logs.ShouldContain("exec /bin/sh: exec format error");
    }

    [Fact]
    public async Task A_pod_the_scheduler_cannot_place_is_refused_at_once_so_the_next_candidate_can_be_tried()
    {
        // The inventory only knows allocatable; another pod already uses most of the arm64 node.
        _server.Behaviour = p => p.Metadata.Name.Contains("blocker", StringComparison.Ordinal) ? PodBehaviour.Serve : PodBehaviour.RunToCompletion;
        await CreateAsync(_harness.Backend.Plan(EchoImage.Request("blocker", "linux/arm64") with { MemoryBytes = 7L << 30 }, out _));

        var refused = await Should.ThrowAsync<UnschedulablePodException>(() => _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/arm64") with { MemoryBytes = 2L << 30 }, TestTimeout.Token()));

        var error = refused.Message;
        error.ShouldContain("cannot schedule");
        refused.Candidates.ShouldHaveSingleItem().Variant.ShouldBe("linux/arm64");
        refused.Candidates[0].Reason.ShouldContain("Insufficient memory");
        error.ShouldContain("Insufficient memory");
        _server.Pods().Select(p => p.Metadata.Name).ShouldAllBe(n => n.Contains("blocker"));
    }

    [Fact]
    public async Task Orphans_of_this_instance_are_deleted_at_start_up_and_other_pods_are_left_alone()
    {
        _server.Behaviour = _ => PodBehaviour.Serve;
        await CreateAsync(_harness.Backend.Plan(EchoImage.Request("orphan"), out _));
        var other = _harness.Backend.Plan(EchoImage.Request("other"), out _);
        other.Metadata.Labels["io.polyarch.instance"] = "another-invoker";
        await CreateAsync(other);

        await using var restarted = await BackendHarness.StartAsync(_server);

        _server.Pods().Select(p => p.Metadata.Labels["io.polyarch.instance"]).ShouldBe(["another-invoker"]);
    }

    private async Task CreateAsync(k8s.Models.V1Pod pod)
    {
        var (client, ns) = KubernetesConnection.Connect(_harness.Options);
        using (client as IDisposable)
        {
            await k8s.CoreV1OperationsExtensions.CreateNamespacedPodAsync(client.CoreV1, pod, ns, cancellationToken: TestTimeout.Token());
        }
    }
}
