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
    public async Task What_a_service_cannot_do_for_the_cli_is_refused_with_exit_2_naming_the_way_out()
    {
        var url = "http://127.0.0.1:9/";

        var image = await InvokerCli.RunAsync(_state, "invoke", fixture.EchoImage, "--url", url);
        var fanOut = await InvokerCli.RunAsync(_state, "invoke", "echo", "--all-platforms", "--url", url);
        var backend = await InvokerCli.RunAsync(_state, "platforms", "--backend", "kubernetes", "--url", url);
        var notUrl = await InvokerCli.RunAsync(_state, "actions", "list", "--url", "ftp://127.0.0.1/");

        image.ExitCode.ShouldBe(2, image.StandardError);
        image.StandardError.ShouldContain("invokes actions by name");
        fanOut.ExitCode.ShouldBe(2, fanOut.StandardError);
        fanOut.StandardError.ShouldContain("--platform");
        backend.ExitCode.ShouldBe(2, backend.StandardError);
        backend.StandardError.ShouldContain("Leave them out, or leave out --url");
        notUrl.ExitCode.ShouldBe(2, notUrl.StandardError);
        notUrl.StandardError.ShouldContain("is not an http(s) URL");
    }

    private async Task<JsonNode> Json(params string[] arguments)
    {
        var result = await InvokerCli.RunAsync(_state, arguments);
        result.ExitCode.ShouldBe(0, $"{string.Join(' ', arguments)}\n{result.StandardError}\n{result.StandardOutput}");
        return JsonNode.Parse(result.StandardOutput)!;
    }
}
