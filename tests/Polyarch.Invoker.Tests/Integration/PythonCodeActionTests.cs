using System.IO.Compression;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// Code actions on the real Python runtime (polyarch/python:3.11, one index for amd64, arm64 and ppc64le) through the
/// real engine and QEMU: the examples, a zip, init and run errors, changed code.
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PythonCodeActionTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-python-").FullName;

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Hello_py_becomes_an_action_in_two_commands_and_answers_on_all_three_architectures()
    {
        var runtime = await PythonRuntime.GetAsync();
        var hello = RepositoryRoot.Combine("examples", "python-hello", "hello.py");

        var create = await InvokerCli.RunAsync(_state, "actions", "create", "hello", "--image", runtime, "--code", hello);
        var invoke = await InvokerCli.RunAsync(_state, "invoke", "hello", "--all-platforms", "-p", "name=polyarch", "--output", "json");

        create.ExitCode.ShouldBe(0, create.StandardError);
        invoke.ExitCode.ShouldBe(0, invoke.StandardError + invoke.StandardOutput);
        var results = JsonNode.Parse(invoke.StandardOutput)!.AsArray();
        var machines = results.Select(r => r!["activation"]!["result"]!["machine"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
        machines.ShouldBe(["aarch64", "ppc64le", "x86_64"]);
        foreach (var result in results)
        {
            var record = result!["activation"]!;
            record["status"]!.GetValue<string>().ShouldBe(ActivationStatus.Success);
            record["result"]!["params"]!["name"]!.GetValue<string>().ShouldBe("polyarch");
            var logs = record["logs"]!.AsArray().Select(l => l!.GetValue<string>()).ToArray();
            logs.ShouldContain($"stdout: hello from {record["result"]!["machine"]!.GetValue<string>()}");
            logs.ShouldNotContain(l => l.Contains("XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("linux/amd64", "x86_64")]
    [InlineData("linux/arm64", "aarch64")]
    public async Task The_notebook_example_trains_with_injected_parameters(string platform, string machine)
    {
        await using var harness = new InvokerHarness();
        var notebook = await File.ReadAllTextAsync(RepositoryRoot.Combine("examples", "notebook-train", "train.ipynb"));
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = "train", Image = await PythonRuntime.GetAsync(), Code = ActionCode.FromText(notebook), MemoryMb = 1024, TimeoutMs = 240_000,
        }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("train", new JsonObject { ["test_size"] = 0.5 }, platform), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString() + string.Join('\n', record.Logs));
        record.Result!["machine"]!.GetValue<string>().ShouldBe(machine);
        record.Result!["test"]!.GetValue<int>().ShouldBeGreaterThan(800, "test_size 0.5 of 1797 images was injected");
        record.Result!["accuracy"]!.GetValue<double>().ShouldBeGreaterThan(0.7);
    }

    [Fact]
    public async Task A_zip_action_runs_its_main_module()
    {
        await using var harness = new InvokerHarness();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using (var helper = new StreamWriter(zip.CreateEntry("helper.py").Open()))
            {
                await helper.WriteAsync("def double(x):\n    return 2 * x\n");
            }

            await using var main = new StreamWriter(zip.CreateEntry("__main__.py").Open());
            await main.WriteAsync("from helper import double\n\ndef main(args):\n    return {\"doubled\": double(args.get(\"x\", 0))}\n");
        }

        await harness.Actions.PutAsync(new ActionDefinition { Name = "zipped", Image = await PythonRuntime.GetAsync(), Code = ActionCode.FromZip(buffer.ToArray()) }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("zipped", new JsonObject { ["x"] = 21 }, "linux/amd64"), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString() + string.Join('\n', record.Logs));
        record.Result!["doubled"]!.GetValue<int>().ShouldBe(42);
    }

    [Fact]
    public async Task A_syntax_error_is_an_init_error_naming_the_line()
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = "typo", Image = await PythonRuntime.GetAsync(), Code = ActionCode.FromText("def main(args):\n    x = 1\n    return {x: }\n"),
        }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("typo", [], "linux/amd64"), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.DeveloperError);
        var error = record.Result!["error"]!.GetValue<string>();
        error.ShouldStartWith("The action failed to initialize: ");
        error.ShouldContain("line 3");
        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task An_exception_in_main_is_an_error_carrying_its_message_and_the_container_stays_usable()
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = "raises", Image = await PythonRuntime.GetAsync(),
            Code = ActionCode.FromText("def main(args):\n    if args.get(\"fail\"):\n        raise ValueError(\"no model for \" + args[\"fail\"])\n    return {\"ok\": True}\n"),
        }, CancellationToken.None);

        var failed = await harness.Invoker.InvokeAsync(new InvocationRequest("raises", new JsonObject { ["fail"] = "sales" }, "linux/amd64"), CancellationToken.None);

        // The runtime answers an uncaught exception with 502 {"error": …}, as OpenWhisk's Python runtime does, and
        // OpenWhisk records a non-200 /run answer as an action developer error (ActivationResponse.processRunResponseContent).
        failed.Status.ShouldBe(ActivationStatus.DeveloperError, failed.Result?.ToJsonString());
        failed.Result!["error"]!.GetValue<string>().ShouldBe("ValueError: no model for sales");
        failed.Logs.ShouldContain(l => l.Contains("ValueError: no model for sales", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_changed_code_is_used_by_the_next_invocation()
    {
        await using var harness = new InvokerHarness();
        var runtime = await PythonRuntime.GetAsync();
        var action = new ActionDefinition { Name = "versioned", Image = runtime, Code = ActionCode.FromText("def main(args):\n    return {\"version\": 1}\n") };
        await harness.Actions.PutAsync(action, CancellationToken.None);
        var first = await harness.Invoker.InvokeAsync(new InvocationRequest("versioned", [], "linux/amd64"), CancellationToken.None);

        await harness.Actions.PutAsync(action with { Code = ActionCode.FromText("def main(args):\n    return {\"version\": 2}\n") }, CancellationToken.None);
        var second = await harness.Invoker.InvokeAsync(new InvocationRequest("versioned", [], "linux/amd64"), CancellationToken.None);

        first.Result!["version"]!.GetValue<int>().ShouldBe(1, first.Result?.ToJsonString());
        second.Result!["version"]!.GetValue<int>().ShouldBe(2, second.Result?.ToJsonString());
        second.Cold.ShouldBeTrue();
    }
}
