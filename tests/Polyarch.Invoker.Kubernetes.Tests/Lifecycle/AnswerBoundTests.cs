using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>
/// A warm pod's /run answer is read up to the invoker's answer bound (Invoker:MaxResultBytes plus Invoker:MaxFilesBytes
/// in base64, as on Docker), so a workflow step that saves a file of several MiB works on Kubernetes too; /init's env
/// carries the files cap so the runtime's cap is the invoker's.
/// </summary>
public sealed class AnswerBoundTests
{
    private const int FiveMiB = 5 << 20;

    [Fact]
    public async Task An_answer_with_a_5_MiB_file_is_read_whole_and_init_env_carries_the_files_cap()
    {
        await using var cluster = await HttpActionCluster.StartAsync(prepare: c => c.Proxy.AnswerFileBytes = FiveMiB);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = cluster.Proxy.Port };

        var run = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.Success, run.Result?["error"]?.ToString());
        Convert.FromBase64String(run.Result!["polyarch:files"]!["big.bin"]!.GetValue<string>()).Length.ShouldBe(FiveMiB);
        cluster.Proxy.LastInit!["value"]!["env"]!["POLYARCH_FILES_MAX_BYTES"]!.GetValue<string>().ShouldBe((64 << 20).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task An_answer_past_the_bound_fails_naming_the_cap_and_the_option()
    {
        var invoker = new InvokerOptions { MaxFilesBytes = 1 << 20 };
        await using var cluster = await HttpActionCluster.StartAsync(
            prepare: c => c.Proxy.AnswerFileBytes = 2 << 20,
            configureInvoker: o => o.MaxFilesBytes = invoker.MaxFilesBytes);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = cluster.Proxy.Port };

        var run = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        var error = run.Result!["error"]!.GetValue<string>();
        error.ShouldContain($"larger than the limit of {invoker.MaxAnswerBytes} bytes");
        error.ShouldContain("Invoker:MaxFilesBytes 1048576");
        run.Truncated.ShouldBeTrue("the answer was cut, as Docker marks it");
        cluster.Proxy.LastInit!["value"]!["env"]!["POLYARCH_FILES_MAX_BYTES"]!.GetValue<string>().ShouldBe("1048576");
    }

    [Fact]
    public async Task A_result_past_MaxResultBytes_without_its_files_is_still_dropped()
    {
        await using var cluster = await HttpActionCluster.StartAsync(configure: o => o.MaxResultBytes = 64);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = cluster.Proxy.Port, ParamsJson = $$"""{"text":"{{new string('a', 200)}}"}""" };

        var run = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        run.Result!["error"]!.GetValue<string>().ShouldContain("larger than the limit of 64 bytes (Kubernetes:MaxResultBytes");
    }

    [Fact]
    public async Task A_result_dropped_for_MaxResultBytes_is_marked_truncated_as_on_Docker()
    {
        // The core copies BackendRun.Truncated into the activation record's "truncated" (ActionInvoker); Docker sets it
        // for a dropped result (DockerHttpRunner: truncated || outcome.Truncated), so Kubernetes must too.
        await using var cluster = await HttpActionCluster.StartAsync(configure: o => o.MaxResultBytes = 64);
        var request = EchoImage.Request(platform: "linux/arm64") with { Protocol = Actions.ActionProtocol.Http, Port = cluster.Proxy.Port, ParamsJson = $$"""{"text":"{{new string('a', 200)}}"}""" };
        var small = await cluster.Harness.Backend.RunAsync(request with { ActivationId = "small", ParamsJson = """{"n":1}""" }, TestTimeout.Token());

        var run = await cluster.Harness.Backend.RunAsync(request, TestTimeout.Token());

        small.Status.ShouldBe(ActivationStatus.Success, small.Result?.ToJsonString());
        small.Truncated.ShouldBeFalse();
        run.Status.ShouldBe(ActivationStatus.DeveloperError);
        run.Truncated.ShouldBeTrue("the result was dropped for Kubernetes:MaxResultBytes");
    }
}
