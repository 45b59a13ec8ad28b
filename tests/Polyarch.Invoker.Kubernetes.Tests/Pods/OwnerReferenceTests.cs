using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Pods;

/// <summary>Action pods are owned by the invoker pod that created them (downward API name/uid), so garbage collection deletes them with it.</summary>
public sealed class OwnerReferenceTests : IAsyncLifetime
{
    private ApiServerDouble.ApiServerDouble _server = null!;

    public async Task InitializeAsync() => _server = await MixedCluster.StartAsync();

    public async Task DisposeAsync()
    {
        _server.Failures.ShouldBeEmpty("the API-server double itself failed");
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_warm_pod_created_in_the_cluster_names_the_invoker_pod_as_its_owner()
    {
        await using var proxy = await ActionProxyDouble.StartAsync();
        _server.Behaviour = _ => PodBehaviour.Serve;
        await using var harness = await BackendHarness.StartAsync(_server, configure: o =>
        {
            o.PodAccess = PodAccess.PodIp;
            o.OwnerPodName = "polyarch-invoker-7d9c5b-x2x7q";
            o.OwnerPodUid = "0b5e6a52-3c1e-4f3e-9a51-6f8d2c1b7e10";
        });
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = proxy.Port, ParamsJson = """{"n":1}""" };

        var run = await harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        var owner = _server.Pod(run.Container!)!.Metadata.OwnerReferences.ShouldHaveSingleItem();
        owner.ShouldSatisfyAllConditions(
            o => o.ApiVersion.ShouldBe("v1"),
            o => o.Kind.ShouldBe("Pod"),
            o => o.Name.ShouldBe("polyarch-invoker-7d9c5b-x2x7q"),
            o => o.Uid.ShouldBe("0b5e6a52-3c1e-4f3e-9a51-6f8d2c1b7e10"),
            o => o.Controller.ShouldBeNull());
    }

    [Fact]
    public async Task Outside_a_cluster_without_an_owner_the_pod_has_no_owner_reference()
    {
        await using var harness = await BackendHarness.StartAsync(_server);

        var pod = harness.Backend.Plan(EchoImage.Request(platform: "linux/arm64"), out _);

        pod.Metadata.OwnerReferences.ShouldBeNull();
    }
}
