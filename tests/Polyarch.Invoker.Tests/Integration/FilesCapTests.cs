using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// Invoker:MaxFilesBytes reaches the runtime (POLYARCH_FILES_MAX_BYTES in /init's env), so the real Python runtime's
/// files cap is the invoker's: a smaller cap makes it refuse a bigger output file with its own message.
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FilesCapTests
{
    private const string SavesABigFile = """
        import polyarch

        def main(args):
            polyarch.save_output("big.bin", b"x" * int(args["size"]))
            return {"saved": args["size"]}
        """;

    [Fact]
    public async Task A_smaller_MaxFilesBytes_makes_the_python_runtime_refuse_a_bigger_output_file()
    {
        await using var harness = new InvokerHarness(new Dictionary<string, string?> { ["Invoker:MaxFilesBytes"] = "1000" });
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = "saver", Image = await PythonRuntime.GetAsync(), Code = ActionCode.FromText(SavesABigFile), TimeoutMs = 60_000,
        }, CancellationToken.None);

        var within = await harness.Invoker.InvokeAsync(new InvocationRequest("saver", new JsonObject { ["size"] = 1000 }, "linux/amd64"), CancellationToken.None);
        var past = await harness.Invoker.InvokeAsync(new InvocationRequest("saver", new JsonObject { ["size"] = 1500 }, "linux/amd64"), CancellationToken.None);

        within.Status.ShouldBe(ActivationStatus.Success, within.Result?.ToJsonString());
        within.Logs.ShouldContain(l => l.Contains("big.bin (1000 bytes)", StringComparison.Ordinal));
        past.Status.ShouldBe(ActivationStatus.DeveloperError, past.Result?.ToJsonString());
        var error = past.Result!["error"]!.GetValue<string>();
        error.ShouldContain("The output file 'big.bin' (1500 bytes)");
        error.ShouldContain("past the cap of 1000 bytes");
        error.ShouldContain("POLYARCH_FILES_MAX_BYTES");
    }
}
