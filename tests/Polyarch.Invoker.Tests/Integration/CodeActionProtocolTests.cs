using System.IO.Compression;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// Code actions against a test runtime that records what it receives (TestImages.BuildRecorderRuntimeAsync): the exact
/// OpenWhisk /init and /run bodies, /init errors, the warm key's code digest and sentinel-cut logs on the real engine.
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CodeActionProtocolTests(InvokerEngineFixture fixture)
{
    private const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    [Fact]
    public async Task Init_and_run_bodies_are_OpenWhisks_exactly_with_a_numeric_deadline()
    {
        await using var harness = new InvokerHarness();
        var code = ActionCode.FromText("def hello(args):\n    return {\"quote\": \"\\\"x\\\"\"}\n", main: "hello");
        await harness.Actions.PutAsync(new ActionDefinition
        {
            Name = "recorded",
            Image = fixture.RecorderRuntimeImage,
            Code = code,
            TimeoutMs = 20_000,
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi" },
        }, CancellationToken.None);

        var before = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("recorded", new JsonObject { ["n"] = 1 }), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        var init = record.Result!["init"]!.AsObject();
        init.Select(p => p.Key).ShouldBe(["value"]);
        var value = init["value"]!.AsObject();
        value.Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(["binary", "code", "env", "main", "name"]);
        value["name"]!.GetValue<string>().ShouldBe("recorded");
        value["main"]!.GetValue<string>().ShouldBe("hello");
        value["code"]!.GetValue<string>().ShouldBe(code.Content);
        value["binary"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.False);
        value["env"]!.ToJsonString().ShouldBe("{\"GREETING\":\"hi\",\"POLYARCH_FILES_MAX_BYTES\":\"67108864\"}", "the invoker's files cap (Invoker:MaxFilesBytes, 64 MiB) reaches the runtime");

        var run = record.Result!["run"]!.AsObject();
        run.Select(p => p.Key).Order(StringComparer.Ordinal).ShouldBe(["action_name", "activation_id", "deadline", "namespace", "transaction_id", "value"]);
        run["value"]!.ToJsonString().ShouldBe("{\"n\":1}");
        run["namespace"]!.GetValue<string>().ShouldBe("polyarch");
        run["action_name"]!.GetValue<string>().ShouldBe("recorded");
        run["activation_id"]!.GetValue<string>().ShouldBe(record.ActivationId);
        run["transaction_id"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.String);
        run["deadline"]!.GetValueKind().ShouldBe(System.Text.Json.JsonValueKind.Number, "OpenWhisk's ActionLoop protocol: deadline is a number");
        run["deadline"]!.GetValue<long>().ShouldBeInRange(before + 20_000 - 1000, TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() + 20_000);
    }

    [Fact]
    public async Task A_zip_is_sent_base64_with_binary_true()
    {
        await using var harness = new InvokerHarness();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("__main__.py").Open());
            writer.Write("def main(args):\n    return args\n");
        }

        var code = ActionCode.FromZip(buffer.ToArray());
        await harness.Actions.PutAsync(new ActionDefinition { Name = "zipped", Image = fixture.RecorderRuntimeImage, Code = code }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("zipped", []), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        var value = record.Result!["init"]!["value"]!;
        value["binary"]!.GetValue<bool>().ShouldBeTrue();
        Convert.FromBase64String(value["code"]!.GetValue<string>()).ShouldBe(buffer.ToArray());
        value["main"]!.GetValue<string>().ShouldBe("main");
    }

    [Fact]
    public async Task An_init_502_is_an_init_error_carrying_the_runtimes_message()
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition { Name = "broken", Image = fixture.RecorderRuntimeImage, Code = ActionCode.FromText("fail-init\n") }, CancellationToken.None);

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("broken", []), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.DeveloperError);
        var error = record.Result!["error"]!.GetValue<string>();
        error.ShouldStartWith("The action failed to initialize: SyntaxError: invalid syntax (__main__.py, line 3)");
        error.ShouldContain("502");
        record.Logs.ShouldContain(l => l.Contains("Traceback", StringComparison.Ordinal));
        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_changed_code_never_reuses_a_container_initialised_with_the_old_code()
    {
        await using var harness = new InvokerHarness();
        var action = new ActionDefinition { Name = "changing", Image = fixture.RecorderRuntimeImage, Code = ActionCode.FromText("version 1\n") };
        await harness.Actions.PutAsync(action, CancellationToken.None);
        var first = await harness.Invoker.InvokeAsync(new InvocationRequest("changing", []), CancellationToken.None);
        var warm = await harness.Invoker.InvokeAsync(new InvocationRequest("changing", []), CancellationToken.None);

        await harness.Actions.PutAsync(action with { Code = ActionCode.FromText("version 2\n") }, CancellationToken.None);
        var changed = await harness.Invoker.InvokeAsync(new InvocationRequest("changing", []), CancellationToken.None);

        first.Result!["init"]!["value"]!["code"]!.GetValue<string>().ShouldBe("version 1\n");
        warm.Cold.ShouldBeFalse("the same code reuses its warm container");
        changed.Status.ShouldBe(ActivationStatus.Success, changed.Result?.ToJsonString());
        changed.Cold.ShouldBeTrue("new code, new container");
        changed.Result!["init"]!["value"]!["code"]!.GetValue<string>().ShouldBe("version 2\n");
    }

    [Fact]
    public async Task Two_activations_on_one_warm_container_each_get_their_own_lines_cut_at_the_sentinel()
    {
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition { Name = "chatty", Image = fixture.RecorderRuntimeImage, Code = ActionCode.FromText("print\n") }, CancellationToken.None);

        var first = await harness.Invoker.InvokeAsync(new InvocationRequest("chatty", []), CancellationToken.None);
        var second = await harness.Invoker.InvokeAsync(new InvocationRequest("chatty", []), CancellationToken.None);

        second.Cold.ShouldBeFalse();
        // The runtime prints "late" lines 0.3 s after it answered, then the sentinels: they are still this activation's.
        first.Logs.ShouldBe(["stdout: initialised", .. RunLines(first.ActivationId)], ignoreOrder: true);
        second.Logs.ShouldBe(RunLines(second.ActivationId), ignoreOrder: true);
        first.Logs.Concat(second.Logs).ShouldNotContain(l => l.Contains(Sentinel, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lines_reaching_the_engine_seconds_after_the_answer_are_still_the_activations()
    {
        // A loaded engine's log stream lags the answer by seconds (OpenWhisk's 2 s wait lost a Python traceback in our CI):
        // the runtime here prints its last lines and sentinels 3 s after answering.
        await using var harness = new InvokerHarness();
        await harness.Actions.PutAsync(new ActionDefinition { Name = "lagging", Image = fixture.RecorderRuntimeImage, Code = ActionCode.FromText("slow-logs\n") }, CancellationToken.None);

        var first = await harness.Invoker.InvokeAsync(new InvocationRequest("lagging", []), CancellationToken.None);
        var second = await harness.Invoker.InvokeAsync(new InvocationRequest("lagging", []), CancellationToken.None);

        second.Cold.ShouldBeFalse();
        first.Logs.ShouldContain($"stdout: late {first.ActivationId}");
        first.Logs.ShouldContain($"stderr: late-err {first.ActivationId}");
        second.Logs.ShouldBe(RunLines(second.ActivationId), ignoreOrder: true);
    }

    /// <summary>What the recorder runtime prints for one /run: its early lines before the answer, its late ones after.</summary>
    private static string[] RunLines(string activationId) =>
        [$"stdout: early {activationId}", $"stderr: early-err {activationId}", $"stdout: late {activationId}", $"stderr: late-err {activationId}"];
}
