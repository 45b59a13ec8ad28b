using System.Text.Json.Nodes;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>`polyarch-invoker workflows …` as users run it: the real executable, its exit codes and --output json.</summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowCliTests(WorkflowsFixture fixture) : IDisposable
{
    private readonly string _state = WorkflowSetup.NewStateDirectory();

    [Fact]
    public async Task Create_run_wait_list_get_and_delete_through_the_cli()
    {
        (await InvokerCli.RunAsync(_state, "actions", "create", "wf-echo", "--image", fixture.EchoImage)).ExitCode.ShouldBe(0);
        var file = Path.Combine(_state, "hello.yaml");
        await File.WriteAllTextAsync(file, """
            name: ignored-the-cli-name-wins
            params: { greeting: hi }
            steps:
              - name: hello
                action: wf-echo
                platforms: linux/arm64
                params: { greeting: "${params.greeting}", n: "${params.n}" }
            result: "${steps.hello.result.params}"
            """);

        var created = await InvokerCli.RunAsync(_state, "workflows", "create", "hello", "--file", file, "--output", "json");
        created.ExitCode.ShouldBe(0, created.StandardError);
        JsonNode.Parse(created.StandardOutput)!["name"]!.GetValue<string>().ShouldBe("hello");
        (await InvokerCli.RunAsync(_state, "workflows", "list")).StandardOutput.ShouldContain("hello");

        var ran = await InvokerCli.RunAsync(_state, "workflows", "run", "hello", "-p", "n=3", "--wait", "--output", "json");

        ran.ExitCode.ShouldBe(0, ran.StandardError + ran.StandardOutput);
        var record = JsonNode.Parse(ran.StandardOutput)!;
        record["workflow"]!.GetValue<string>().ShouldBe("hello");
        record["status"]!.GetValue<string>().ShouldBe("succeeded");
        record["result"]!.ToJsonString().ShouldBe("""{"greeting":"hi","n":3}""");
        var step = record["steps"]![0]!;
        step["name"]!.GetValue<string>().ShouldBe("hello");
        var entry = step["runs"]![0]!;
        entry["platform"]!.GetValue<string>().ShouldBe("linux/arm64");
        entry["status"]!.GetValue<string>().ShouldBe("succeeded");
        entry["attempt"]!.GetValue<int>().ShouldBe(1);
        entry["result"]!["arch"]!.GetValue<string>().ShouldBe("aarch64");
        entry["activationId"]!.GetValue<string>().Length.ShouldBe(32);
        entry["durationMs"]!.GetValue<long>().ShouldBeGreaterThan(0);
        record["startedAt"].ShouldNotBeNull();
        record["endedAt"].ShouldNotBeNull();
        var runId = record["id"]!.GetValue<string>();

        var listed = await InvokerCli.RunAsync(_state, "workflows", "runs", "list", "--workflow", "hello", "--output", "json");
        JsonNode.Parse(listed.StandardOutput)!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ShouldBe([runId]);
        var got = await InvokerCli.RunAsync(_state, "workflows", "runs", "get", runId, "--output", "json");
        JsonNode.Parse(got.StandardOutput)!["id"]!.GetValue<string>().ShouldBe(runId);
        (await InvokerCli.RunAsync(_state, "workflows", "runs", "get", runId)).StandardOutput.ShouldContain("hello            succeeded");

        (await InvokerCli.RunAsync(_state, "workflows", "delete", "hello")).ExitCode.ShouldBe(0);
        var gone = await InvokerCli.RunAsync(_state, "workflows", "get", "hello", "--output", "json");
        gone.ExitCode.ShouldBe(2);
        gone.StandardError.ShouldContain("workflow 'hello' is not defined; create it with `polyarch-invoker workflows create hello --file FILE`");
    }

    [Fact]
    public async Task An_invalid_definition_exits_2_naming_every_problem_and_a_stored_run_nobody_drives_can_be_cancelled()
    {
        (await InvokerCli.RunAsync(_state, "actions", "create", "wf-echo", "--image", fixture.EchoImage)).ExitCode.ShouldBe(0);
        var bad = Path.Combine(_state, "bad.yaml");
        await File.WriteAllTextAsync(bad, """
            steps:
              - name: a
                action: wf-nope
              - name: b
                action: wf-echo
                needs: [a, ghost]
            """);

        var refused = await InvokerCli.RunAsync(_state, "workflows", "create", "bad", "--file", bad, "--output", "json");

        refused.ExitCode.ShouldBe(2);
        refused.StandardError.ShouldContain("error: workflow 'bad': step 'a': action 'wf-nope' does not exist; create it first");
        refused.StandardError.ShouldContain("error: workflow 'bad': step 'b' needs unknown step 'ghost'");
        JsonNode.Parse(refused.StandardOutput)!["errors"]!.AsArray().Count.ShouldBe(2);
        (await InvokerCli.RunAsync(_state, "workflows", "run", "bad")).ExitCode.ShouldBe(2);

        var good = Path.Combine(_state, "good.yaml");
        await File.WriteAllTextAsync(good, "steps:\n  - { name: a, action: wf-echo }\n");
        (await InvokerCli.RunAsync(_state, "workflows", "create", "good", "--file", good)).ExitCode.ShouldBe(0);
        var stored = await InvokerCli.RunAsync(_state, "workflows", "run", "good", "--output", "json");
        stored.ExitCode.ShouldBe(0, stored.StandardError);
        var runId = JsonNode.Parse(stored.StandardOutput)!["runId"]!.GetValue<string>();

        var cancelled = await InvokerCli.RunAsync(_state, "workflows", "runs", "cancel", runId);

        cancelled.ExitCode.ShouldBe(0, cancelled.StandardError);
        var record = JsonNode.Parse((await InvokerCli.RunAsync(_state, "workflows", "runs", "get", runId, "--output", "json")).StandardOutput)!;
        record["status"]!.GetValue<string>().ShouldBe("cancelled");
        record["steps"]![0]!["status"]!.GetValue<string>().ShouldBe("cancelled");
        record["steps"]![0]!["runs"]!.AsArray().ShouldBeEmpty();
        (await InvokerCli.RunAsync(_state, "workflows", "runs", "cancel", runId)).ExitCode.ShouldBe(1);
    }

    public void Dispose() => Directory.Delete(_state, recursive: true);
}
