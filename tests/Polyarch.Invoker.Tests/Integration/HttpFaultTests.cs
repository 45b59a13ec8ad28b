using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HttpFaultTests(InvokerEngineFixture fixture)
{
    [Theory]
    [InlineData("crash", "exited with code 3")]
    [InlineData("oom", "OOM-killed")]
    [InlineData("timeout", "time limit of 3000 ms")]
    public async Task Http_FaultDuringRun_IsClassified_ContainerIsRemoved_NextCallWorks(string mode, string resultText)
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition { Name = "http-fault", Image = fixture.HttpFaultsImage, MemoryMb = 64, TimeoutMs = 3000 }, CancellationToken.None);

        var fault = await harness.Invoker.InvokeAsync(new InvocationRequest("http-fault", new JsonObject { ["mode"] = mode }), CancellationToken.None);
        var left = await harness.ContainersLeftAfterCleanupAsync();
        var next = await harness.Invoker.InvokeAsync(new InvocationRequest("http-fault", new JsonObject { ["mode"] = "ok" }), CancellationToken.None);

        fault.Status.ShouldBe(ActivationStatus.DeveloperError, fault.Result?.ToJsonString());
        fault.Result!.ToJsonString().ShouldContain(resultText);
        left.ShouldBe(0);
        next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        next.Cold.ShouldBeTrue();
    }

    [Theory]
    [InlineData(ActionProtocol.Http)]
    [InlineData(ActionProtocol.Exec)]
    public async Task ExecFormatError_IsADeveloperErrorThatSaysSo(ActionProtocol protocol)
    {
        await using var harness = new InvokerHarness(new Dictionary<string, string?> { ["Docker:InitTimeout"] = "00:00:20" });
        await harness.Actions.PutAsync(new ActionDefinition { Name = "enoexec", Image = fixture.ExecFormatErrorImage, Protocol = protocol }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("enoexec", []), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.DeveloperError, record.Result?.ToJsonString());
        record.Result!.ToJsonString().ShouldContain("exec format error");
        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
    }

    [Theory]
    [InlineData(ActionProtocol.Http)]
    [InlineData(ActionProtocol.Exec)]
    public async Task MissingEntrypoint_IsADeveloperErrorNamingIt_NotASystemError(ActionProtocol protocol)
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition { Name = "noentry", Image = fixture.MissingEntrypointImage, Protocol = protocol }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("noentry", []), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.DeveloperError, record.Result?.ToJsonString());
        record.Result!["error"]!.GetValue<string>().ShouldContain("/no-such-entrypoint");
        record.Result!["error"]!.GetValue<string>().ShouldContain("no such file or directory");
        record.Result!["error"]!.GetValue<string>().ShouldContain("ENTRYPOINT");
        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
    }
}
