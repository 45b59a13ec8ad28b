using System.Text.Json.Nodes;
using Polyarch.Invoker.Tests.Hosting;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>Issue 19: every verb with --url talks to a running service's REST API and prints what it prints on the local state.</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CliRemoteTests(InvokerEngineFixture fixture) : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-remote-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Every_verb_prints_the_same_json_on_the_local_state_and_through_a_service_on_that_state()
    {
        var created = await Json("actions", "create", "echo", "--image", fixture.EchoImage, "-e", "GREETING=hi", "--output", "json");
        await Json("rules", "create", "on-push", "--repository", "127.0.0.1:5000/demo/*", "--action", "echo", "-p", "n=1", "--output", "json");
        var invoked = await Json("invoke", "echo", "--platform", "linux/amd64", "-p", "x=1", "--output", "json");
        var id = invoked["activationId"]!.GetValue<string>();
        await using var serve = await new InvokerUnderTest().StartAsync(_state, []);
        var url = serve.Http.BaseAddress!.ToString();

        string[][] verbs =
        [
            ["actions", "list"], ["actions", "get", "echo"], ["rules", "list"], ["rules", "get", "on-push"],
            ["activations", "list"], ["activations", "get", id], ["activations", "list", "--action", "echo", "--limit", "1"], ["platforms"],
        ];
        foreach (var verb in verbs)
        {
            var local = await Json([.. verb, "--output", "json"]);
            var remote = await Json([.. verb, "--output", "json", "--url", url]);
            JsonNode.DeepEquals(local, remote).ShouldBeTrue($"{string.Join(' ', verb)}\nlocal:  {local.ToJsonString()}\nremote: {remote.ToJsonString()}");
        }

        // What the service changes is what the local verbs see, and the answers are the same.
        JsonNode.DeepEquals(created, await Json("actions", "create", "echo", "--image", fixture.EchoImage, "-e", "GREETING=hi", "--output", "json", "--url", url)).ShouldBeTrue();
        var remoteRun = await Json("invoke", "echo", "--platform", "linux/amd64", "-p", "x=2", "--output", "json", "--url", url);
        remoteRun["result"]!["arch"]!.GetValue<string>().ShouldBe("x86_64");
        JsonNode.DeepEquals(remoteRun, await Json("activations", "get", remoteRun["activationId"]!.GetValue<string>(), "--output", "json")).ShouldBeTrue();
        (await InvokerCli.RunAsync(_state, "rules", "delete", "on-push", "--url", url)).ExitCode.ShouldBe(0);
        var gone = await InvokerCli.RunAsync(_state, "rules", "get", "on-push");
        gone.ExitCode.ShouldBe(1);
        gone.StandardError.ShouldContain("there is no rule 'on-push'");
        var missing = await InvokerCli.RunAsync(_state, "actions", "get", "nothing-here", "--url", url);
        missing.ExitCode.ShouldBe(1);
        missing.StandardError.ShouldBe((await InvokerCli.RunAsync(_state, "actions", "get", "nothing-here")).StandardError);
    }

    [Fact]
    public async Task Images_fan_outs_data_rules_schedules_and_code_go_through_a_service_as_on_the_local_state()
    {
        await Json("actions", "create", "echo", "--image", fixture.EchoImage, "--output", "json");
        var code = Path.Combine(_state, "hello.py");
        await File.WriteAllTextAsync(code, "def main(args):\n    return {\"hello\": args.get(\"name\", \"world\")}\n");
        await Json("actions", "create", "hello", "--image", fixture.EchoImage, "--code", code, "--output", "json");
        var workflow = Path.Combine(_state, "wf.yaml");
        await File.WriteAllTextAsync(workflow, "steps:\n  - { name: a, action: echo }\n");
        await Json("workflows", "create", "wf", "--file", workflow, "--output", "json");
        await using var serve = await new InvokerUnderTest().StartAsync(_state, []);
        string[] remote = ["--url", serve.Http.BaseAddress!.ToString()];

        // An image by reference and a fan-out over every platform of the image: run by the service.
        var image = await Json(["invoke", fixture.EchoImage, "--platform", "linux/amd64", "-p", "x=1", "--output", "json", .. remote]);
        var fanOut = await Json(["invoke", "echo", "--all-platforms", "-p", "x=2", "--output", "json", .. remote]);
        var localFanOut = await Json("invoke", "echo", "--all-platforms", "-p", "x=2", "--output", "json");

        image["image"]!.GetValue<string>().ShouldBe(fixture.EchoImage);
        image["result"]!["arch"]!.GetValue<string>().ShouldBe("x86_64");
        JsonNode.DeepEquals(image, await Json("activations", "get", image["activationId"]!.GetValue<string>(), "--output", "json")).ShouldBeTrue();
        fanOut.AsArray().Select(r => r!["platform"]!.GetValue<string>()).ShouldBe(localFanOut.AsArray().Select(r => r!["platform"]!.GetValue<string>()));
        fanOut.AsArray().Select(r => r!["activation"]!["status"]!.GetValue<string>()).ShouldAllBe(s => s == "success");
        fanOut.AsArray().Select(r => r!["activation"]!["result"]!["arch"]!.GetValue<string>()).ShouldBe(["x86_64", "aarch64", "ppc64le"], ignoreOrder: true);
        var table = await InvokerCli.RunAsync(_state, ["invoke", "echo", "--all-platforms", .. remote]);
        table.ExitCode.ShouldBe(0, table.StandardError);
        InvokerCli.Lines(table.StandardOutput).Length.ShouldBe(3);

        // Rules that start a workflow on an artifact push or a schedule, and a code action's code: the same JSON both ways.
        string[][] verbs =
        [
            ["rules", "create", "on-data", "--repository", "127.0.0.1:5000/datasets/*", "--artifact-type", "application/vnd.polyarch.dataset.v1", "--workflow", "wf"],
            ["rules", "create", "nightly", "--schedule", "0 3 * * *", "--time-zone", "Europe/Berlin", "--workflow", "wf", "-p", "full=true"],
            ["rules", "get", "nightly"], ["rules", "list"], ["actions", "get", "hello", "--show-code"],
        ];
        foreach (var verb in verbs)
        {
            var local = await Json([.. verb, "--output", "json"]);
            var service = await Json([.. verb, "--output", "json", .. remote]);
            JsonNode.DeepEquals(local, service).ShouldBeTrue($"{string.Join(' ', verb)}\nlocal:  {local.ToJsonString()}\nremote: {service.ToJsonString()}");
        }

        (await Json(["rules", "get", "on-data", .. remote]))["artifactType"]!.GetValue<string>().ShouldBe("application/vnd.polyarch.dataset.v1");
        (await InvokerCli.RunAsync(_state, ["actions", "get", "hello", "--show-code", .. remote])).StandardOutput.ShouldContain("return {\"hello\"");

        // Refusals: the same words, error document and exit code (2 bad input; 1 no variant for the platform, with the why-not).
        string[][] refused =
        [
            ["rules", "create", "bad", "--schedule", "*/5 * *", "--workflow", "wf"],
            ["rules", "create", "bad", "--repository", "demo/x", "--workflow", "no-such-workflow"],
            ["invoke", "nothing-here"],
            ["invoke", "echo", "--platform", "linux/s390x"],
            ["actions", "create", "bad", "--image", "UPPER/Case"],
        ];
        foreach (var verb in refused)
        {
            var local = await InvokerCli.RunAsync(_state, [.. verb, "--output", "json"]);
            var service = await InvokerCli.RunAsync(_state, [.. verb, "--output", "json", .. remote]);
            var what = $"{string.Join(' ', verb)}\nlocal:  {local.StandardError}\nremote: {service.StandardError}";
            local.ExitCode.ShouldBe(verb.Contains("linux/s390x") ? 1 : 2, what);
            service.ExitCode.ShouldBe(local.ExitCode, what);
            service.StandardError.ShouldBe(local.StandardError, what);
            service.StandardOutput.ShouldBe(local.StandardOutput, what);
        }
    }

    [Fact]
    public async Task What_only_runs_on_this_machine_is_refused_with_exit_2_naming_the_way_out()
    {
        var url = "http://127.0.0.1:9/";

        var dryRun = await InvokerCli.RunAsync(_state, "invoke", "echo", "--dry-run", "--url", url);
        var backend = await InvokerCli.RunAsync(_state, "platforms", "--backend", "kubernetes", "--url", url);
        var notUrl = await InvokerCli.RunAsync(_state, "actions", "list", "--url", "ftp://127.0.0.1/");
        var artifacts = await InvokerCli.RunAsync(_state, "artifacts", "--help");

        dryRun.ExitCode.ShouldBe(2, dryRun.StandardError);
        dryRun.StandardError.ShouldContain("leave out --url");
        backend.ExitCode.ShouldBe(2, backend.StandardError);
        backend.StandardError.ShouldContain("Leave them out, or leave out --url");
        notUrl.ExitCode.ShouldBe(2, notUrl.StandardError);
        notUrl.StandardError.ShouldContain("is not an http(s) URL");
        artifacts.StandardOutput.ShouldContain("the registry, not the invoker");
    }

    private async Task<JsonNode> Json(params string[] arguments)
    {
        var result = await InvokerCli.RunAsync(_state, arguments);
        result.ExitCode.ShouldBe(0, $"{string.Join(' ', arguments)}\n{result.StandardError}\n{result.StandardOutput}");
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
