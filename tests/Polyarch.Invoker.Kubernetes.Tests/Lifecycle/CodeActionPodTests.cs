using System.Text.Json;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>
/// Code actions on warm pods (API-server double + action-proxy double): OpenWhisk's /init and /run bodies with a numeric
/// deadline, a new pod for changed code, and pod logs cut at the runtime's end-of-activation sentinels.
/// </summary>
public sealed class CodeActionPodTests : IAsyncLifetime
{
    private HttpActionCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await HttpActionCluster.StartAsync(
        prepare: cluster =>
        {
            cluster.Proxy.RefuseSecondInit = false;
            cluster.Proxy.AfterTheEnd = "printed after the end of";
            cluster.Proxy.Output = line =>
            {
                foreach (var pod in cluster.Server.Pods())
                {
                    cluster.Server.AppendLog(pod.Metadata.Name, line);
                }
            };
        });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_run_body_carries_a_numeric_deadline_and_init_carries_the_code()
    {
        var code = ActionCode.FromText("def handler(args):\n    return args\n", main: "handler");
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port, Code = code, ParamsJson = """{"n":1}""" };

        var run = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?.ToJsonString());
        var init = _cluster.Proxy.LastInit!["value"]!;
        init["code"]!.GetValue<string>().ShouldBe(code.Content);
        init["main"]!.GetValue<string>().ShouldBe("handler");
        init["binary"]!.GetValueKind().ShouldBe(JsonValueKind.False);
        var body = _cluster.Proxy.LastRun!;
        body["deadline"]!.GetValueKind().ShouldBe(JsonValueKind.Number, "OpenWhisk's ActionLoop protocol: deadline is a number");
        body["transaction_id"]!.GetValueKind().ShouldBe(JsonValueKind.String);
        body["activation_id"]!.GetValue<string>().ShouldBe(request.ActivationId);
    }

    [Fact]
    public async Task Changed_code_gets_a_new_pod_and_each_activation_its_lines_up_to_the_sentinels()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = ActionProtocol.Http, Port = _cluster.Proxy.Port, Code = ActionCode.FromText("v1"), ParamsJson = """{"n":1}""" };

        var first = await _cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());
        var second = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "second", ParamsJson = """{"n":2}""" }, TestTimeout.Token());
        var changed = await _cluster.Harness.Backend.RunAsync(request with { ActivationId = "changed", Code = ActionCode.FromText("v2"), ParamsJson = """{"n":3}""" }, TestTimeout.Token());

        second.Container.ShouldBe(first.Container, "the same code reuses its warm pod");
        changed.Container.ShouldNotBe(first.Container, "a changed code never reuses a pod initialised with the old one");
        _cluster.Proxy.LastInit!["value"]!["code"]!.GetValue<string>().ShouldBe("v2");
        first.Logs.ShouldBe(["init", """params {"n":1}"""], "what follows the second sentinel is not this activation's");
        second.Logs.ShouldBe(["""printed after the end of {"n":1}""", """params {"n":2}"""]);
    }
}
