using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>The engine goes away mid-activation (its socket is cut by a relay): a system error, and the next call works once it is back.</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EngineOutageTests(InvokerEngineFixture fixture)
{
    [Fact]
    public async Task EngineGoneMidActivation_IsASystemError_NextCallWorksWhenItIsBack()
    {
        var socket = System.IO.Path.Combine(Directory.CreateTempSubdirectory("engine-relay-").FullName, "docker.sock");
        var relay = EngineRelay.Start(socket);
        await using var harness = new InvokerHarness(new Dictionary<string, string?> { ["Docker:Endpoint"] = relay.Endpoint });
        await harness.Actions.PutAsync(new ActionDefinition { Name = "sleeper", Image = fixture.FaultsImage, TimeoutMs = 60_000 }, CancellationToken.None);
        try
        {
            var running = harness.Invoker.InvokeAsync(new InvocationRequest("sleeper", new JsonObject { ["mode"] = "timeout" }), CancellationToken.None);
            for (var i = 0; i < 300 && (await harness.ContainersAsync()).All(c => c.State != "running"); i++)
            {
                await Task.Delay(100);
            }

            await relay.DisposeAsync();
            var failed = await running;
            relay = EngineRelay.Start(socket);
            var next = await harness.Invoker.InvokeAsync(new InvocationRequest("sleeper", new JsonObject { ["mode"] = "ok" }), CancellationToken.None);

            failed.Status.ShouldBe(ActivationStatus.SystemError, failed.Result?.ToJsonString());
            failed.Result!["error"]!.GetValue<string>().ShouldContain("docker backend failed");
            next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        }
        finally
        {
            await relay.DisposeAsync();
        }
    }
}
