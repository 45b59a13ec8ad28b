using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Client;
using Polyarch.Builder.Tests.Fitness;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>Issue 19 item 2: `polyarch-builder builds list|get|logs|cancel` against a service (--url, POLYARCH_BUILDER_URL, serve.json) or the local store.</summary>
[Collection(ServeHostCollection.Name)]
public sealed class BuildsCliTests : IDisposable
{
    private readonly TempDirectory _state = new();

    [Fact]
    public async Task Without_a_service_list_get_and_logs_read_the_local_store_and_cancel_says_it_needs_the_service()
    {
        string id;
        using (var services = BuilderServices.Create(_state.Path))
        {
            id = (await services.GetRequiredService<IBuildStore>().SubmitAsync(BuildsApiTests.Request("demo/local"), null, CancellationToken.None)).Build.Id;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var list = await BuilderProcess.RunAsync(_state.Path, "builds", "list", "--output", "json");
        var get = await BuilderProcess.RunAsync(_state.Path, "builds", "get", id, "--output", "yaml");
        var table = await BuilderProcess.RunAsync(_state.Path, "builds", "list");
        var logs = await BuilderProcess.RunAsync(_state.Path, "builds", "logs", id, "--output", "json");
        var missing = await BuilderProcess.RunAsync(_state.Path, "builds", "get", "nope");
        var cancel = await BuilderProcess.RunAsync(_state.Path, "builds", "cancel", id, "--output", "json");

        list.ExitCode.ShouldBe(0, list.Stderr);
        JsonNode.Parse(list.Stdout)!.AsArray().Select(b => b!["id"]!.GetValue<string>()).ShouldBe([id]);
        get.ExitCode.ShouldBe(0, get.Stderr);
        get.Stdout.ShouldContain($"id: {id}");
        get.Stdout.ShouldContain("status: queued");
        get.Stdout.ShouldContain("- linux/amd64");
        table.Stdout.Split('\n')[0].ShouldStartWith("ID ");
        table.Stdout.ShouldContain(id);
        logs.ExitCode.ShouldBe(0, logs.Stderr);
        JsonNode.Parse(logs.Stdout)!["id"]!.GetValue<string>().ShouldBe(id);
        missing.ExitCode.ShouldBe(2);
        missing.Stderr.ShouldContain("No build 'nope'");
        cancel.ExitCode.ShouldBe(3);
        cancel.Stderr.ShouldContain("needs the builder service");
        cancel.Stderr.ShouldContain("--url");
        JsonNode.Parse(cancel.Stdout)!["error"]!["exitCode"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task With_url_and_api_key_file_the_verbs_ask_the_service_and_cancel_a_queued_build()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        var id = (await serve.Services.GetRequiredService<IBuildStore>().SubmitAsync(BuildsApiTests.Request("demo/remote"), null, CancellationToken.None)).Build.Id;
        var keyFile = Path.Combine(_state.Path, "key");
        await File.WriteAllTextAsync(keyFile, ServeHost.Key + "\n");
        var url = serve.Http.BaseAddress!.ToString();

        var list = await BuilderProcess.RunAsync(_state.Path, "builds", "list", "--url", url, "--api-key-file", keyFile, "--output", "json");
        var noKey = await BuilderProcess.RunAsync(_state.Path, "builds", "list", "--url", url);
        var byEnvironment = await BuilderProcess.RunAsync(
            _state.Path, new Dictionary<string, string> { ["POLYARCH_BUILDER_URL"] = url }, "builds", "get", id, "--api-key-file", keyFile, "--output", "json");
        var cancel = await BuilderProcess.RunAsync(_state.Path, "builds", "cancel", id, "--url", url, "--api-key-file", keyFile);

        list.ExitCode.ShouldBe(0, list.Stderr);
        JsonNode.Parse(list.Stdout)!.AsArray().Select(b => b!["id"]!.GetValue<string>()).ShouldBe([id]);
        noKey.ExitCode.ShouldBe(2);
        noKey.Stderr.ShouldContain("refused the API key");
        noKey.Stderr.ShouldContain("--api-key-file");
        byEnvironment.ExitCode.ShouldBe(0, byEnvironment.Stderr);
        JsonNode.Parse(byEnvironment.Stdout)!["status"]!.GetValue<string>().ShouldBe("queued");
        cancel.ExitCode.ShouldBe(0, cancel.Stderr);
        cancel.Stdout.ShouldStartWith($"build {id}: cancelled");
    }

    [Fact]
    public async Task The_service_running_on_the_state_directory_is_found_through_serve_json()
    {
        await using var serve = await ServeHost.StartAsync();
        var id = (await serve.Services.GetRequiredService<IBuildStore>().SubmitAsync(BuildsApiTests.Request("demo/found"), null, CancellationToken.None)).Build.Id;
        var serveJson = Path.Combine(serve.StateDirectory, "builder", "serve.json");
        File.Exists(serveJson).ShouldBeTrue();
        File.GetUnixFileMode(serveJson).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // Another state directory whose serve.json names that service: its (empty) local store is not what answers.
        Directory.CreateDirectory(Path.Combine(_state.Path, "builder"));
        File.Copy(serveJson, Path.Combine(_state.Path, "builder", "serve.json"));

        var list = await BuilderProcess.RunAsync(_state.Path, "builds", "list", "--output", "json");

        list.ExitCode.ShouldBe(0, list.Stderr);
        JsonNode.Parse(list.Stdout)!.AsArray().Select(b => b!["id"]!.GetValue<string>()).ShouldBe([id]);
        await serve.StopAsync();
        File.Exists(serveJson).ShouldBeFalse();
    }

    [Theory]
    [InlineData("builds", "list")]
    [InlineData("builds", "get", "x")]
    [InlineData("builds", "logs", "x")]
    [InlineData("builds", "cancel", "x")]
    [InlineData("build", ".")]
    public async Task A_wrong_output_value_is_bad_usage_naming_the_accepted_values(params string[] verb)
    {
        var result = await BuilderProcess.RunAsync(_state.Path, [.. verb, "--output", "xml"]);

        result.ExitCode.ShouldBe(2);
        foreach (var accepted in new[] { "table", "json", "yaml" })
        {
            result.Stderr.ShouldContain($"'{accepted}'");
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}
