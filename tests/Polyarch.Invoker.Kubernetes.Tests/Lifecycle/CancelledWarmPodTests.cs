using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>
/// An http activation cancelled mid-run (a workflow step's timeout, a stopping invoker): its pod is deleted and its pool
/// slot freed, so the next activation gets a new pod at once — never the pod still busy with the old run, never a wait
/// for a slot that no one gives back.
/// </summary>
public sealed class CancelledWarmPodTests : IAsyncLifetime
{
    private HttpActionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await HttpActionCluster.StartAsync(
        prepare: cluster => cluster.Proxy.RefuseSecondInit = false,
        configurePool: pool => pool.MaxContainersPerKey = 1);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_cancelled_run_deletes_its_pod_and_frees_the_slot_for_the_next_activation()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = _cluster.Proxy.Port };
        _cluster.Proxy.RunDelay = TimeSpan.FromMinutes(5);
        using var cancel = new CancellationTokenSource();
        var slow = _cluster.Harness.Backend.RunAsync(request, cancel.Token);
        await Eventually.TrueAsync(() => _cluster.Proxy.Runs == 1, "the first /run reached the action");
        var busyPod = _cluster.Server.Pods().Single().Metadata.Name;

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(slow);
        _cluster.Proxy.RunDelay = TimeSpan.Zero;
        var next = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "next" }, TestTimeout.Token(TimeSpan.FromSeconds(15)));

        next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        next.Cold.ShouldBeTrue("the cancelled activation's pod is never reused");
        next.Container.ShouldNotBe(busyPod);
        _cluster.Harness.Pool.RemovedAfterActivation.ShouldBe(1);
        await Eventually.TrueAsync(() => _cluster.Server.Pod(busyPod) is null, "the cancelled activation's pod was deleted");
    }

    [Fact]
    public async Task A_cold_start_cancelled_during_init_deletes_its_pod_and_frees_the_slot()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = _cluster.Proxy.Port };
        _cluster.Proxy.InitDelay = TimeSpan.FromMinutes(5);
        using var cancel = new CancellationTokenSource();
        var starting = _cluster.Harness.Backend.RunAsync(request, cancel.Token);
        await Eventually.TrueAsync(() => _cluster.Proxy.LastInit is not null, "the first /init reached the action");
        var initialising = _cluster.Server.Pods().Single().Metadata.Name;

        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(starting);
        _cluster.Proxy.InitDelay = TimeSpan.Zero;
        var next = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "next" }, TestTimeout.Token(TimeSpan.FromSeconds(15)));

        next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        next.Container.ShouldNotBe(initialising);
        await Eventually.TrueAsync(() => _cluster.Server.Pod(initialising) is null, "the pod whose /init was cancelled was deleted");
    }
}
