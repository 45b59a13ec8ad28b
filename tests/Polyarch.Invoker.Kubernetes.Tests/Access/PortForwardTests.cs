using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Access;

/// <summary>
/// http actions from outside the cluster: every byte of /init and /run goes through the API server's pods/portforward
/// WebSocket (v4.channel.k8s.io) — here the double's, which relays to a real HTTP listener playing the action proxy.
/// </summary>
public sealed class PortForwardTests : IAsyncLifetime
{
    private HttpActionCluster _cluster = null!;

    // Auto outside the cluster (a kubeconfig is given) means port-forward.
    public async Task InitializeAsync() => _cluster = await HttpActionCluster.StartAsync(configure: o => o.PodAccess = PodAccess.Auto);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Outside_the_cluster_warm_http_pods_are_reached_through_the_api_servers_port_forward()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port, ParamsJson = """{"n":1}""" };

        var first = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        var second = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "second", ParamsJson = """{"n":2}""" }, TestTimeout.Token());

        _cluster.Harness.Backend.PodAccess.ShouldBe(PodAccess.PortForward);
        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());
        first.Result!["echo"]!["n"]!.GetValue<int>().ShouldBe(1);
        first.Cold.ShouldBeTrue();
        second.Status.ShouldBe(ActivationStatus.Success, second.Result?.ToJsonString());
        second.Cold.ShouldBeFalse();
        second.Container.ShouldBe(first.Container);
        second.Result!["echo"]!["n"]!.GetValue<int>().ShouldBe(2);
        _cluster.Proxy.Inits.ShouldBe(1);
        _cluster.Proxy.Runs.ShouldBe(2);
        _cluster.Server.Calls.ShouldContain(c => c.Method == "GET" && c.Path == $"/api/v1/namespaces/polyarch/pods/{first.Container}/portforward"
            && c.Query == $"?ports={_cluster.Proxy.Port}", "the proxy was reached through the API server");
    }

    [Fact]
    public async Task A_refused_port_forward_is_a_developer_error_with_the_kubelets_message_and_the_pod_is_deleted()
    {
        var request = EchoImage.Request(platform: "linux/amd64") with { Protocol = ActionProtocol.Http, Port = ClosedPort() };

        var run = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        var error = run.Result!["error"]!.GetValue<string>();
        error.ShouldContain("did not answer /init");
        error.ShouldContain("port-forward");
        error.ShouldContain("connection refused", Case.Insensitive);
        _cluster.Harness.Backend.IdleWarmPods.ShouldBe(0);
        _cluster.Server.Pods().ShouldBeEmpty();
    }

    [Fact]
    public async Task A_warm_pod_that_died_while_idle_is_replaced_once_and_the_activation_still_succeeds()
    {
        _cluster.Proxy.RefuseSecondInit = false;
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port };
        var first = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());

        // Someone deletes the idle pod: its port-forward connections end and a new one gets 404.
        var (client, ns) = KubernetesConnection.Connect(_cluster.Harness.Options);
        using (client as IDisposable)
        {
            await k8s.CoreV1OperationsExtensions.DeleteNamespacedPodAsync(client.CoreV1, first.Container!, ns, cancellationToken: TestTimeout.Token());
        }

        var second = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "second" }, TestTimeout.Token());

        second.Status.ShouldBe(ActivationStatus.Success, second.Result?.ToJsonString());
        second.Cold.ShouldBeTrue("the dead warm pod was replaced by a new one");
        second.Container.ShouldNotBe(first.Container);
        _cluster.Server.Pods().Select(p => p.Metadata.Name).ShouldBe([second.Container!]);
    }

    [Theory]
    [InlineData(PodAccess.PodIp, PodAccess.PodIp)]
    [InlineData(PodAccess.PortForward, PodAccess.PortForward)]
    [InlineData(PodAccess.Auto, PodAccess.PortForward)]
    public void Auto_means_port_forward_when_the_invoker_uses_a_kubeconfig(PodAccess configured, PodAccess expected)
    {
        var options = new KubernetesBackendOptions { Kubeconfig = _cluster.Server.KubeconfigPath, PodAccess = configured };

        KubernetesConnection.ResolveAccess(options).ShouldBe(expected);
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
