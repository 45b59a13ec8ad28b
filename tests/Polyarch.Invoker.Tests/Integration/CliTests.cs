using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>The real polyarch-invoker executable: verbs, output and exit codes (0/1/2/3, conventions.md).</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CliTests(InvokerEngineFixture fixture) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-cli-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Invoke_OnPpc64le_PrintsTheRecordAsJson_ExitsZero()
    {
        var result = await RunAsync("invoke", fixture.EchoImage, "--platform", "linux/ppc64le", "-p", "x=1", "-p", "name=world", "--output", "json");

        result.ExitCode.ShouldBe(0, result.StandardError);
        var record = JsonNode.Parse(result.StandardOutput)!;
        record["result"]!["arch"]!.GetValue<string>().ShouldBe("ppc64le");
        record["result"]!["params"]!.ToJsonString().ShouldBe("{\"x\":1,\"name\":\"world\"}");
        record["emulated"]!.GetValue<bool>().ShouldBeTrue();

        var get = await RunAsync("activations", "get", record["activationId"]!.GetValue<string>());
        get.ExitCode.ShouldBe(0);
        JsonNode.Parse(get.StandardOutput)!["platform"]!.GetValue<string>().ShouldBe("linux/ppc64le");
        (await RunAsync("activations", "list")).StandardOutput.ShouldContain(record["activationId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Invoke_AllPlatforms_ReportsEach()
    {
        var result = await RunAsync("invoke", fixture.EchoImage, "--all-platforms");

        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardOutput.ShouldContain("\"arch\":\"x86_64\"");
        result.StandardOutput.ShouldContain("\"arch\":\"aarch64\"");
        result.StandardOutput.ShouldContain("\"arch\":\"ppc64le\"");
    }

    [Fact]
    public async Task ExitCodes_FollowTheConventions()
    {
        var unplaceable = await RunAsync("invoke", fixture.EchoImage, "--platform", "linux/s390x", "--output", "json");
        unplaceable.ExitCode.ShouldBe(1);
        unplaceable.StandardError.ShouldContain("no variant for linux/s390x");
        JsonNode.Parse(unplaceable.StandardOutput)!["imagePlatforms"]!.AsArray().Count.ShouldBe(3);

        (await RunAsync("invoke", "no-such-action")).ExitCode.ShouldBe(2);
        (await RunAsync("invoke", fixture.EchoImage, "--platform", "linux/arm64", "--all-platforms")).ExitCode.ShouldBe(2);
        (await RunAsync("invoke", fixture.EchoImage, "-p", "novalue")).ExitCode.ShouldBe(2);
        (await RunAsync("actions", "create", "bad", "--image", fixture.EchoImage, "--memory", "1")).ExitCode.ShouldBe(2);

        var registryDown = await RunAsync("invoke", "127.0.0.1:9/demo/echo:latest");
        registryDown.ExitCode.ShouldBe(3, registryDown.StandardError);
        registryDown.StandardError.ShouldContain("127.0.0.1:9");
    }

    [Fact]
    public async Task Actions_CreateListInvokeDelete_ActionFailureExitsOne()
    {
        (await RunAsync("actions", "create", "crasher", "--image", fixture.FaultsImage, "--memory", "64", "--timeout", "5000")).ExitCode.ShouldBe(0);
        (await RunAsync("actions", "list")).StandardOutput.ShouldContain("crasher");

        var crash = await RunAsync("invoke", "crasher", "-p", "mode=crash");
        crash.ExitCode.ShouldBe(1);
        crash.StandardOutput.ShouldContain("action developer error");

        (await RunAsync("actions", "delete", "crasher")).ExitCode.ShouldBe(0);
        (await RunAsync("actions", "delete", "crasher")).ExitCode.ShouldBe(1);
    }

    [Fact]
    public async Task ActivationsGet_OfAnAcceptedActivationWithoutARecord_SaysItIsPending_NeverAcceptedFails()
    {
        var id = Polyarch.Invoker.Activations.ActivationId.New();
        using (var database = new Polyarch.Invoker.State.InvokerDatabase(Path.Combine(_state, "invoker.db")))
        {
            await new Polyarch.Invoker.Activations.AcceptedActivationStore(database, TimeProvider.System).AddAsync(
                new Polyarch.Invoker.Activations.AcceptedActivation(id, "echo", [], null, Polyarch.Invoker.Activations.AcceptedActivation.Pending, DateTimeOffset.UnixEpoch),
                CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var pending = await RunAsync("activations", "get", id);
        var unknown = await RunAsync("activations", "get", Polyarch.Invoker.Activations.ActivationId.New());

        pending.ExitCode.ShouldBe(0, pending.StandardError);
        JsonNode.Parse(pending.StandardOutput)!["status"]!.GetValue<string>().ShouldBe("pending");
        unknown.ExitCode.ShouldBe(1);
        unknown.StandardError.ShouldContain("never accepted");
    }

    [Fact]
    public async Task Invoke_ImageWhoseEntrypointIsMissing_IsADeveloperError_ExitsOne_WithoutAStackTrace()
    {
        var result = await RunAsync("invoke", fixture.MissingEntrypointImage);

        result.ExitCode.ShouldBe(1, result.StandardError);
        result.StandardOutput.ShouldContain("action developer error");
        result.StandardOutput.ShouldContain("/no-such-entrypoint");
        result.StandardError.ShouldNotContain("   at ");
        result.StandardError.ShouldNotContain("failed in the backend");
        result.StandardOutput.ShouldNotContain("system error");
    }

    [Fact]
    public async Task Invoke_UnparsableImage_ExitsTwo()
    {
        var result = await RunAsync("invoke", "UPPER/Case");

        result.ExitCode.ShouldBe(2, result.StandardError);
        result.StandardError.ShouldContain("'UPPER/Case' is not a valid image reference");
    }

    [Fact]
    public async Task Platforms_ListsNativeAndEmulated()
    {
        var result = await RunAsync("platforms");

        result.ExitCode.ShouldBe(0);
        result.StandardOutput.ShouldContain("linux/amd64      native");
        result.StandardOutput.ShouldContain("linux/arm64      emulated (QEMU)");
    }

    private async Task<BufferedCommandResult> RunAsync(params string[] arguments)
    {
        var assembly = Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll");
        var result = await Cli.Wrap("dotnet")
            .WithArguments([assembly, .. arguments])
            .WithEnvironmentVariables(env => env
                .Set("POLYARCH_STATE_DIR", _state)
                .Set("POLYARCH_Invoker__InstanceId", $"t{TestRun.Id}-cli")
                .Set($"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}", TestRun.Id))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        return result;
    }
}
