using System.Text.Json.Nodes;
using CliWrap.Buffered;
using Polyarch.Invoker.Tests.Hosting;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>
/// Issue 19: `workflows …` with --url asks a running `serve` (API key on) and prints what it prints on the local state:
/// the same JSON, the same error words and exit codes.
/// </summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowCliRemoteTests(WorkflowsFixture fixture) : IDisposable
{
    private const string Key = "workflow-cli-remote-api-key-0123456789";
    private readonly string _state = WorkflowSetup.NewStateDirectory();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Workflows_create_list_get_run_wait_runs_and_delete_answer_the_same_through_a_service_as_on_the_local_state()
    {
        (await InvokerCli.RunAsync(_state, "actions", "create", "wf-echo", "--image", fixture.EchoImage)).ExitCode.ShouldBe(0);
        var file = await WriteAsync("hello.yaml", """
            params: { greeting: hi }
            steps:
              - name: hello
                action: wf-echo
                platforms: linux/amd64
                params: { greeting: "${params.greeting}", n: "${params.n}" }
            result: "${steps.hello.result.params}"
            """);
        var local = await Json("workflows", "create", "hello", "--file", file, "--output", "json");
        await using var serve = await new InvokerUnderTest().StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var remote = await RemoteOptionsAsync(serve.Http.BaseAddress!);

        JsonNode.DeepEquals(local, await Json(["workflows", "create", "hello", "--file", file, "--output", "json", .. remote])).ShouldBeTrue();
        await SameAsync(remote, 0, "workflows", "list", "--output", "json");
        await SameAsync(remote, 0, "workflows", "list");
        await SameAsync(remote, 0, "workflows", "get", "hello");
        await SameAsync(remote, 0, "workflows", "get", "hello", "--output", "yaml");

        var ran = await InvokerCli.RunAsync(_state, ["workflows", "run", "hello", "-p", "n=3", "--wait", "--output", "json", .. remote]);

        ran.ExitCode.ShouldBe(0, ran.StandardError + ran.StandardOutput);
        var record = JsonNode.Parse(ran.StandardOutput)!;
        record["status"]!.GetValue<string>().ShouldBe("succeeded");
        record["result"]!.ToJsonString().ShouldBe("""{"greeting":"hi","n":3}""");
        record["steps"]![0]!["runs"]![0]!["result"]!["arch"]!.GetValue<string>().ShouldBe("x86_64");
        var runId = record["id"]!.GetValue<string>();
        JsonNode.DeepEquals(record, await Json("workflows", "runs", "get", runId, "--output", "json")).ShouldBeTrue();
        await SameAsync(remote, 0, "workflows", "runs", "get", runId, "--output", "json");
        await SameAsync(remote, 0, "workflows", "runs", "get", runId);
        await SameAsync(remote, 0, "workflows", "runs", "list", "--workflow", "hello", "--output", "json");

        // Refusals: the same words and exit codes both ways.
        (await SameAsync(remote, 2, "workflows", "get", "nope", "--output", "json")).StandardError
            .ShouldContain("workflow 'nope' is not defined; create it with `polyarch-invoker workflows create nope --file FILE`");
        await SameAsync(remote, 2, "workflows", "run", "nope");
        await SameAsync(remote, 2, "workflows", "delete", "nope");
        (await SameAsync(remote, 2, "workflows", "runs", "get", "0123456789abcdef", "--output", "json")).StandardError
            .ShouldContain("there is no workflow run '0123456789abcdef'");
        await SameAsync(remote, 2, "workflows", "runs", "cancel", "0123456789abcdef");
        (await SameAsync(remote, 1, "workflows", "runs", "cancel", runId, "--output", "json")).StandardError
            .ShouldContain($"run {runId} already ended succeeded; there is nothing to cancel");

        var deleted = await InvokerCli.RunAsync(_state, ["workflows", "delete", "hello", "--output", "json", .. remote]);
        deleted.ExitCode.ShouldBe(0, deleted.StandardError);
        (await InvokerCli.RunAsync(_state, "workflows", "get", "hello")).ExitCode.ShouldBe(2);
        await Json("workflows", "create", "hello", "--file", file, "--output", "json");
        (await InvokerCli.RunAsync(_state, "workflows", "delete", "hello", "--output", "json")).StandardOutput.ShouldBe(deleted.StandardOutput);
    }

    [Fact]
    public async Task An_invalid_definition_exits_2_with_the_same_problems_and_a_run_the_service_drives_can_be_cancelled_through_it()
    {
        (await InvokerCli.RunAsync(_state, "actions", "create", "wf-step", "--image", fixture.StepImage)).ExitCode.ShouldBe(0);
        var bad = await WriteAsync("bad.yaml", """
            steps:
              - name: a
                action: wf-nope
              - name: b
                action: wf-step
                needs: [a, ghost]
            """);
        var broken = await WriteAsync("broken.yaml", "steps: [ { name: a\n");
        var slow = await WriteAsync("slow.yaml", """
            steps:
              - { name: wait, action: wf-step, platforms: linux/amd64, params: { sleep: 60 } }
              - { name: after, action: wf-step, needs: [wait], platforms: linux/amd64 }
            """);
        await using var serve = await new InvokerUnderTest().StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var remote = await RemoteOptionsAsync(serve.Http.BaseAddress!);

        var refused = await SameAsync(remote, 2, "workflows", "create", "bad", "--file", bad, "--output", "json");
        refused.StandardError.ShouldContain("error: workflow 'bad': step 'a': action 'wf-nope' does not exist; create it first");
        refused.StandardError.ShouldContain("error: workflow 'bad': step 'b' needs unknown step 'ghost'");
        JsonNode.Parse(refused.StandardOutput)!["errors"]!.AsArray().Count.ShouldBe(2);
        (await SameAsync(remote, 2, "workflows", "create", "broken", "--file", broken)).StandardError.ShouldContain("is neither valid YAML nor JSON");

        (await InvokerCli.RunAsync(_state, ["workflows", "create", "slow", "--file", slow, .. remote])).ExitCode.ShouldBe(0);
        var started = await Json(["workflows", "run", "slow", "--output", "json", .. remote]);
        started["status"]!.GetValue<string>().ShouldBe("running");
        // --wait through a service: the service drives the run, the CLI long-polls its record until it has ended.
        var waiting = InvokerCli.RunAsync(_state, ["workflows", "run", "slow", "--wait", "--output", "json", .. remote]);
        string? runId = null;
        await Poll.UntilAsync(
            async () =>
            {
                var runs = (await Json(["workflows", "runs", "list", "--workflow", "slow", "--output", "json", .. remote])).AsArray();
                runId = runs.Where(r => r!["id"]!.GetValue<string>() != started["runId"]!.GetValue<string>())
                    .FirstOrDefault(r => r!["steps"]![0]!["status"]!.GetValue<string>() == "running")?["id"]?.GetValue<string>();
                return runId is not null;
            },
            TimeSpan.FromSeconds(60),
            "the service to start the waited run's first step");

        var cancelled = await Json(["workflows", "runs", "cancel", runId!, "--output", "json", .. remote]);
        var waited = await waiting;

        cancelled["status"]!.GetValue<string>().ShouldBe("cancelling");
        waited.ExitCode.ShouldBe(1, waited.StandardError + waited.StandardOutput);
        var ended = JsonNode.Parse(waited.StandardOutput)!;
        ended["id"]!.GetValue<string>().ShouldBe(runId);
        ended["status"]!.GetValue<string>().ShouldBe("cancelled");
        ended["steps"]![1]!["status"]!.GetValue<string>().ShouldBe("cancelled");
        (await Json(["workflows", "runs", "cancel", started["runId"]!.GetValue<string>(), "--output", "json", .. remote]))["status"]!.GetValue<string>().ShouldBe("cancelling");
    }

    [Fact]
    public async Task A_missing_or_wrong_api_key_is_exit_2_naming_where_the_key_came_from()
    {
        await using var serve = await new InvokerUnderTest().StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var url = serve.Http.BaseAddress!.ToString();
        var wrong = Path.Combine(_state, "wrong.key");
        await File.WriteAllTextAsync(wrong, "not-the-key-0123456789-0123456789");

        var missing = await InvokerCli.RunAsync(_state, "workflows", "list", "--url", url);
        var refused = await InvokerCli.RunAsync(_state, "workflows", "runs", "list", "--url", url, "--api-key-file", wrong, "--output", "json");

        missing.ExitCode.ShouldBe(2, missing.StandardError);
        missing.StandardError.ShouldContain("refused the API key (401) from no key (neither --api-key-file nor Service:ApiKey");
        refused.ExitCode.ShouldBe(2, refused.StandardError);
        refused.StandardError.ShouldContain($"refused the API key (401) from the key file {wrong} (--api-key-file)");
        JsonNode.Parse(refused.StandardOutput)!["exitCode"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task An_idempotency_key_starts_one_run_whether_asked_through_the_service_or_on_the_local_state()
    {
        (await InvokerCli.RunAsync(_state, "actions", "create", "wf-echo", "--image", fixture.EchoImage)).ExitCode.ShouldBe(0);
        var file = await WriteAsync("keyed.yaml", "steps:\n  - { name: a, action: wf-echo, platforms: linux/amd64 }\n");
        (await InvokerCli.RunAsync(_state, "workflows", "create", "keyed", "--file", file)).ExitCode.ShouldBe(0);
        await using var serve = await new InvokerUnderTest().StartAsync(_state, ["--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"]);
        var remote = await RemoteOptionsAsync(serve.Http.BaseAddress!);

        var first = await Json(["workflows", "run", "keyed", "--idempotency-key", "ci-job-42", "--output", "json", .. remote]);
        var again = await Json(["workflows", "run", "keyed", "--idempotency-key", "ci-job-42", "--output", "json", .. remote]);
        var locally = await Json("workflows", "run", "keyed", "--idempotency-key", "ci-job-42", "--output", "json");
        var table = await InvokerCli.RunAsync(_state, ["workflows", "run", "keyed", "--idempotency-key", "ci-job-42", .. remote]);
        var other = await Json(["workflows", "run", "keyed", "--idempotency-key", "ci-job-43", "--output", "json", .. remote]);

        var runId = first["runId"]!.GetValue<string>();
        first["created"]!.GetValue<bool>().ShouldBeTrue();
        again["runId"]!.GetValue<string>().ShouldBe(runId);
        again["created"]!.GetValue<bool>().ShouldBeFalse();
        locally["runId"]!.GetValue<string>().ShouldBe(runId, "the local state and the service share one store: one run per key");
        locally["created"]!.GetValue<bool>().ShouldBeFalse();
        table.ExitCode.ShouldBe(0, table.StandardError);
        table.StandardOutput.ShouldStartWith($"ok: run {runId} was started before with this idempotency key (");
        other["runId"]!.GetValue<string>().ShouldNotBe(runId);
        other["created"]!.GetValue<bool>().ShouldBeTrue();
        (await Json(["workflows", "runs", "list", "--workflow", "keyed", "--output", "json", .. remote])).AsArray().Count.ShouldBe(2);

        // Refused at the edge: the CLI before any call, the service for any other client.
        var refused = await InvokerCli.RunAsync(_state, ["workflows", "run", "keyed", "--idempotency-key", new string('k', 513), .. remote]);
        refused.ExitCode.ShouldBe(2, refused.StandardError);
        refused.StandardError.ShouldContain("--idempotency-key must be 1–512 characters (it has 513)");
        using var http = new HttpClient { BaseAddress = serve.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workflows/keyed/runs");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Key);
        request.Headers.Add("Idempotency-Key", new string('k', 600));
        using var response = await http.SendAsync(request);
        ((int)response.StatusCode).ShouldBe(400);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>()
            .ShouldStartWith("The Idempotency-Key header must be 1–512 characters (it has 600)");
        (await Json(["workflows", "runs", "list", "--workflow", "keyed", "--output", "json", .. remote])).AsArray().Count.ShouldBe(2, "a refused start starts nothing");
    }

    /// <summary>Runs the verb on the local state and through the service; both exit <paramref name="exitCode"/> and print the same.</summary>
    private async Task<BufferedCommandResult> SameAsync(string[] remote, int exitCode, params string[] verb)
    {
        var local = await InvokerCli.RunAsync(_state, verb);
        var service = await InvokerCli.RunAsync(_state, [.. verb, .. remote]);
        var what = $"{string.Join(' ', verb)}\nlocal:  {local.ExitCode} {local.StandardError}{local.StandardOutput}\nremote: {service.ExitCode} {service.StandardError}{service.StandardOutput}";
        local.ExitCode.ShouldBe(exitCode, what);
        service.ExitCode.ShouldBe(exitCode, what);
        service.StandardOutput.ShouldBe(local.StandardOutput, what);
        service.StandardError.ShouldBe(local.StandardError, what);
        return service;
    }

    private async Task<string[]> RemoteOptionsAsync(Uri url)
    {
        var keyFile = Path.Combine(_state, "service.key");
        await File.WriteAllTextAsync(keyFile, Key);
        return ["--url", url.ToString(), "--api-key-file", keyFile];
    }

    private async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_state, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    private async Task<JsonNode> Json(params string[] arguments)
    {
        var result = await InvokerCli.RunAsync(_state, arguments);
        result.ExitCode.ShouldBe(0, $"{string.Join(' ', arguments)}\n{result.StandardError}\n{result.StandardOutput}");
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
