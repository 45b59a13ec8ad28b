using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>Pods that never start, warm http pods (in-cluster path: pod IP) and the idle timeout, on a fake clock.</summary>
public sealed class LifecycleTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
    private ApiServerDouble.ApiServerDouble _server = null!;
    private BackendHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _server = await MixedCluster.StartAsync();
        _harness = await BackendHarness.StartAsync(_server, _time, o => o.PodAccess = PodAccess.PodIp);
    }

    public async Task DisposeAsync()
    {
        _server.Failures.ShouldBeEmpty("the API-server double itself failed");
        await _harness.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_pod_that_never_starts_times_out_is_deleted_and_recorded_as_a_system_error()
    {
        _server.Behaviour = _ => PodBehaviour.NeverStart;

        var running = _harness.Backend.RunAsync(EchoImage.Request(platform: "linux/ppc64le"), TestTimeout.Token());
        await Eventually.TrueAsync(() => _server.Pods().Any(p => p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason == "ContainerCreating"), "the pod is stuck in ContainerCreating");
        // The backend arms its start timer on the fake clock only once its watch is open, which may be after the
        // pod shows ContainerCreating: one big Advance could come before the timer exists and never fire it.
        // Advance in steps until the run returns, bounded in real time so a regression fails instead of hanging.
        var realTime = System.Diagnostics.Stopwatch.StartNew();
        while (!running.IsCompleted)
        {
            realTime.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the stuck pod never timed out");
            _time.Advance(TimeSpan.FromSeconds(5));
            await Task.WhenAny(running, Task.Delay(20));
        }

        var run = await running;

        run.Status.ShouldBe(ActivationStatus.SystemError);
        run.Result!["error"]!.GetValue<string>().ShouldContain("did not start within 60 s");
        run.Result!["error"]!.GetValue<string>().ShouldContain("ContainerCreating");
        run.Node.ShouldBe(MixedCluster.Ppc64le);
        run.Wait.ShouldBeGreaterThanOrEqualTo(TimeSpan.FromSeconds(60));
        _server.Pods().ShouldBeEmpty("the stuck pod is cleaned up");
    }

    [Fact]
    public async Task Http_actions_reuse_a_warm_pod_per_key_and_idle_pods_are_deleted_after_the_idle_timeout()
    {
        await using var proxy = await ActionProxyDouble.StartAsync();
        _server.Behaviour = _ => PodBehaviour.Serve;
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = proxy.Port, ParamsJson = """{"n":1}""" };

        var first = await _harness.Backend.RunAsync(request, TestTimeout.Token());
        var second = await _harness.Backend.RunAsync(request with { ActivationId = "second", ParamsJson = """{"n":2}""" }, TestTimeout.Token());

        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());
        first.Cold.ShouldBeTrue();
        second.Cold.ShouldBeFalse();
        second.Container.ShouldBe(first.Container);
        second.Result!["echo"]!["n"]!.GetValue<int>().ShouldBe(2);
        second.ChildDigest.ShouldBe(EchoImage.Arm64);
        proxy.Inits.ShouldBe(1, "/init once per pod");
        proxy.Runs.ShouldBe(2);
        _server.Pods().Count.ShouldBe(1);

        _harness.Backend.PodAccess.ShouldBe(PodAccess.PodIp);
        (await _harness.Backend.EvictIdleAsync(TestTimeout.Token())).ShouldBe(0, "not idle long enough yet");

        // The sweep runs on the backend's clock: advancing it past the idle timeout deletes the pod, no call needed.
        _time.Advance(_harness.PoolOptions.IdleTimeout);
        await Eventually.TrueAsync(() => _server.Pods().Count == 0, "the idle sweep deleted the warm pod");
        _harness.Backend.IdleWarmPods.ShouldBe(0);
    }

    [Fact]
    public async Task An_http_pod_whose_action_does_not_answer_is_a_developer_error_and_is_not_reused()
    {
        _server.Behaviour = _ => PodBehaviour.Serve;
        var closedPort = GetClosedPort();
        var request = EchoImage.Request(platform: "linux/amd64") with { Protocol = ActionProtocol.Http, Port = closedPort };

        var run = await _harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        run.Result!["error"]!.GetValue<string>().ShouldContain("did not answer /init");
        _harness.Backend.IdleWarmPods.ShouldBe(0);
        _server.Pods().ShouldBeEmpty();
    }

    private static int GetClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
