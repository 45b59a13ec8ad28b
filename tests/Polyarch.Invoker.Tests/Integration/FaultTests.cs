using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FaultTests(InvokerEngineFixture fixture)
{
    [Theory]
    [InlineData("ok", ActivationStatus.Success, "\"stdin\":{\"mode\":\"ok\"}", "log line before the result")]
    [InlineData("apperror", ActivationStatus.ApplicationError, "bad input", null)]
    [InlineData("crash", ActivationStatus.DeveloperError, "exited with code 3", "crashing on purpose")]
    [InlineData("oom", ActivationStatus.DeveloperError, "OOM-killed (exit code 137)", "allocating without bound")]
    [InlineData("timeout", ActivationStatus.DeveloperError, "time limit of 3000 ms", "sleeping past the deadline")]
    [InlineData("nonjson", ActivationStatus.DeveloperError, "did not produce a valid JSON object: this is not JSON", null)]
    [InlineData("oversized", ActivationStatus.DeveloperError, "larger than the limit of 1048576 bytes", null)]
    [InlineData("bigexit", ActivationStatus.DeveloperError, "larger than the limit of 1048576 bytes", null)]
    [InlineData("forkbomb", ActivationStatus.DeveloperError, "exited with code", "can't fork")]
    public async Task Exec_Fault_IsClassified_AndNoContainerIsLeft(string mode, string status, string resultText, string? logText)
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = $"fault-{mode}",
            Image = fixture.FaultsImage,
            MemoryMb = 64,
            TimeoutMs = 3000,
        }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest($"fault-{mode}", new JsonObject { ["mode"] = mode }), CancellationToken.None);

        record.Status.ShouldBe(status, record.Result?.ToJsonString());
        record.Result!.ToJsonString().ShouldContain(resultText);
        if (logText is not null)
        {
            record.Logs.ShouldContain(l => l.Contains(logText), string.Join("\n", record.Logs));
        }

        record.Truncated.ShouldBe(mode is "oversized" or "bigexit");
        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
    }
}
