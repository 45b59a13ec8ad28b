using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>
/// A Kubernetes activation never runs twice: a warm pod is replaced and the activation retried only when its /run
/// provably never reached the action (the connection could not be opened, or the kubelet could not dial the pod's port);
/// a connection that broke after the action read the request fails the activation once, as on Docker and in OpenWhisk.
/// </summary>
public sealed class RunOnceTests
{
    [Theory]
    [InlineData(PodAccess.PodIp)]
    [InlineData(PodAccess.PortForward)]
    public async Task A_warm_run_whose_connection_breaks_after_the_request_was_read_fails_once_and_no_second_pod_is_created(PodAccess access)
    {
        await using var cluster = await HttpActionCluster.StartAsync(configure: o => o.PodAccess = access, prepare: c => c.Proxy.RefuseSecondInit = false);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = cluster.Proxy.Port };
        var first = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());
        cluster.Server.ClearCalls();
        cluster.Proxy.BreakRun = true;

        var broken = await cluster.Harness.Backend.RunAsync(request with { ActivationId = "broken" }, TestTimeout.Token());

        cluster.Proxy.Runs.ShouldBe(2, "the first activation's run and the broken one's, once: it was not sent again");
        broken.Status.ShouldBe(ActivationStatus.DeveloperError);
        broken.Cold.ShouldBeFalse();
        broken.Container.ShouldBe(first.Container);
        var error = broken.Result!["error"]!.GetValue<string>();
        error.ShouldContain("broke during /run, after the request was sent");
        error.ShouldContain("not retried");
        cluster.Server.Calls.Count(c => c.Method == "POST" && c.Path.EndsWith("/pods", StringComparison.Ordinal)).ShouldBe(0, "no second pod for the broken activation");
        await Eventually.TrueAsync(() => cluster.Server.Pods().Count == 0, "the pod whose activation broke is deleted, never reused");
    }

    [Fact]
    public async Task A_warm_pod_whose_port_refuses_the_kubelets_dial_is_replaced_and_the_activation_runs_once_on_a_new_pod()
    {
        await using var cluster = await HttpActionCluster.StartAsync(configure: o => o.PodAccess = PodAccess.PortForward, prepare: c => c.Proxy.RefuseSecondInit = false);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = cluster.Proxy.Port };
        var first = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        first.Status.ShouldBe(ActivationStatus.Success, first.Result?.ToJsonString());

        // The pod stays Running but nothing listens on its port any more: the kubelet reports "connection refused".
        cluster.Server.StopListening(first.Container!);
        var second = await cluster.Harness.Backend.RunAsync(request with { ActivationId = "second", ParamsJson = """{"n":2}""" }, TestTimeout.Token());

        second.Status.ShouldBe(ActivationStatus.Success, second.Result?.ToJsonString());
        second.Result!["echo"]!["n"]!.GetValue<int>().ShouldBe(2);
        second.Cold.ShouldBeTrue("the refusing warm pod was replaced by a new one");
        second.Container.ShouldNotBe(first.Container);
        cluster.Proxy.Runs.ShouldBe(2, "the refused run never reached an action; the new pod ran it once");
        await Eventually.TrueAsync(() => cluster.Server.Pods().Select(p => p.Metadata.Name).SequenceEqual([second.Container!]), "the refusing pod was deleted");
    }
}
