using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>A reused http pod's log is sliced per activation by the kubelet's timestamps, and bounded.</summary>
public sealed class WarmPodLogsTests : IAsyncLifetime
{
    private HttpActionCluster _cluster = null!;

    // The action "prints" into the log of the (single) pod serving it.
    public async Task InitializeAsync() => _cluster = await HttpActionCluster.StartAsync(
        configure: o => o.MaxLogBytes = 1024,
        prepare: cluster => cluster.Proxy.Output = line =>
        {
            foreach (var pod in cluster.Server.Pods())
            {
                cluster.Server.AppendLog(pod.Metadata.Name, line);
            }
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Each_activation_of_a_warm_pod_gets_only_its_own_log_lines()
    {
        var request = EchoImage.Request(platform: "linux/ppc64le") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port, ParamsJson = """{"n":1}""" };

        var first = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        var second = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "second", ParamsJson = """{"n":2}""" }, TestTimeout.Token());
        var third = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "third", ParamsJson = """{"n":3}""" }, TestTimeout.Token());

        second.Container.ShouldBe(first.Container, "the pod is reused");
        third.Container.ShouldBe(first.Container);
        first.Logs.ShouldBe(["init", """params {"n":1}"""], "the cold activation also gets the /init output; the end-of-activation sentinel is dropped");
        second.Logs.ShouldBe(["""params {"n":2}"""]);
        third.Logs.ShouldBe(["""params {"n":3}"""]);
        first.Truncated.ShouldBeFalse();
        _cluster.Server.Calls.Where(c => c.Path.EndsWith("/log", StringComparison.Ordinal)).ShouldAllBe(c => c.Query.Contains("timestamps=true"));
    }

    [Fact]
    public async Task A_warm_activation_that_prints_more_than_the_bound_is_truncated_without_lines_of_earlier_activations()
    {
        var request = EchoImage.Request(platform: "linux/ppc64le") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port, ParamsJson = """{"n":1}""" };
        await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        var chatty = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "chatty", ParamsJson = $$"""{"blob":"{{new string('x', 3000)}}"}""" }, TestTimeout.Token());

        chatty.Status.ShouldBe(ActivationStatus.Success);
        chatty.Truncated.ShouldBeTrue();
        chatty.Logs.ShouldNotContain("init");
        chatty.Logs.ShouldNotContain("""params {"n":1}""");
        chatty.Logs.ShouldHaveSingleItem().ShouldStartWith("""params {"blob":"xxx""");
        System.Text.Encoding.UTF8.GetByteCount(string.Join("\n", chatty.Logs)).ShouldBeLessThanOrEqualTo(1024);
    }
}
