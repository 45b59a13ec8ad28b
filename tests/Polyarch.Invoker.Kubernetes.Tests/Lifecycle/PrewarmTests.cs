using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Integration;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>Prewarmed http pods on Kubernetes, like the Docker pool's: per key, capped, used warm, deleted after idling.</summary>
public sealed class PrewarmTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private HttpActionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await HttpActionCluster.StartAsync(
        _time, prepare: cluster => cluster.Proxy.RefuseSecondInit = false, configurePool: p => p.MaxContainersPerKey = 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Prewarmed_pods_are_initialised_ahead_and_the_first_activation_is_warm()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port };

        var started = await _cluster.Harness.Backend.PrewarmAsync(request, 2, TestTimeout.Token());
        var again = await _cluster.Harness.Backend.PrewarmAsync(request, 2, TestTimeout.Token());

        started.ShouldBe(2);
        again.ShouldBe(0, "the key already has two idle pods");
        _cluster.Harness.Backend.IdleWarmPods.ShouldBe(2);
        _cluster.Proxy.Inits.ShouldBe(2);
        var pods = _cluster.Server.Pods();
        pods.Count.ShouldBe(2);
        pods.ShouldAllBe(p => p.Spec.NodeName == MixedCluster.Arm64 && p.Metadata.Labels["io.polyarch.activation"].StartsWith("prewarm-"));

        var run = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        run.Cold.ShouldBeFalse();
        pods.Select(p => p.Metadata.Name).ShouldContain(run.Container!);
        _cluster.Proxy.Inits.ShouldBe(2, "a prewarmed pod is not initialised again");
    }

    [Fact]
    public async Task Prewarm_is_capped_per_key_and_prewarmed_pods_are_deleted_after_the_idle_timeout()
    {
        var request = EchoImage.Request(platform: "linux/amd64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port };

        (await _cluster.Harness.Backend.PrewarmAsync(request, 5, TestTimeout.Token())).ShouldBe(3, "WarmPool:MaxContainersPerKey is 3");
        _cluster.Server.Pods().Count.ShouldBe(3);

        _time.Advance(_cluster.Harness.PoolOptions.IdleTimeout);

        await Eventually.TrueAsync(() => _cluster.Server.Pods().Count == 0, "the idle sweep deleted the prewarmed pods");
        _cluster.Harness.Backend.IdleWarmPods.ShouldBe(0);
    }

    [Fact]
    public async Task The_invoker_cores_prewarm_starts_http_pods_for_the_placed_variant_and_none_for_exec_actions()
    {
        using var backend = new KubernetesActionBackend(_cluster.Harness.Backend, _time);
        var variants = EchoImage.Variants().Select(v => new VariantInfo(v.Platform, v.Digest, v.Labels)).ToList();
        var image = new ImageVariants("127.0.0.1:5000/demo/echo:latest", EchoImage.Repository, EchoImage.Index, variants);
        var decision = new PlacementDecision(variants[2], new BackendPlatform("linux/ppc64le", false), new Requirements(0, 128L << 20, 0.5));
        var action = ActionDefinition.ForImage(image.Image) with { Prewarm = 1 };
        var http = new ActivationContext("prewarm", action, image, decision, ActionProtocol.Http, _cluster.Proxy.Port, [], _time.GetUtcNow().AddMinutes(1));

        await backend.PrewarmAsync(http, 1, TestTimeout.Token());
        await backend.PrewarmAsync(http with { Protocol = ActionProtocol.Exec }, 1, TestTimeout.Token());

        var pod = _cluster.Server.Pods().ShouldHaveSingleItem();
        pod.Spec.NodeName.ShouldBe(MixedCluster.Ppc64le);
        pod.Spec.Containers[0].Image.ShouldBe($"{EchoImage.Repository}@{EchoImage.Ppc64le}");
        var run = await backend.RunAsync(http with { ActivationId = "after-prewarm", Params = new JsonObject { ["x"] = 1 } }, TestTimeout.Token());
        run.Cold.ShouldBeFalse();
        run.Node.ShouldBe(MixedCluster.Ppc64le);
    }

    [Fact]
    public async Task A_prewarm_that_cannot_start_stops_and_leaves_no_pod()
    {
        _cluster.Server.Behaviour = _ => PodBehaviour.ImagePullBackOff;
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port };

        var started = await _cluster.Harness.Backend.PrewarmAsync(request, 2, TestTimeout.Token());

        started.ShouldBe(0);
        _cluster.Server.Pods().ShouldBeEmpty();
        _cluster.Harness.Backend.IdleWarmPods.ShouldBe(0);
    }
}
