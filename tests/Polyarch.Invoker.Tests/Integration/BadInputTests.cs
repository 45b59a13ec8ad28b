using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// Input that can never work — images no registry can hold, repository globs that match no repository, platforms
/// that do not exist — is refused by the CLI (exit 2) and the REST API (400) with a message naming the input and the
/// fix, and nothing is stored. The real executable and the real `serve` host; nothing reaches a registry or engine.
/// </summary>
[Trait("Category", "Integration")]
public sealed class BadInputTests : IDisposable
{
    private const string GoodImage = "127.0.0.1:9/demo/echo:latest";
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-badinput-").FullName;

    public static TheoryData<string, string> BadImages => new()
    {
        { "UPPER/Case", "repository names must be lower case" },
        { "a..b", "the path component 'a..b'" },
        { "$(id)", "the path component '$(id)'" },
        { "../../etc/passwd", "the registry '..'" },
    };

    // A target without '/' is looked up as an action name first ("no such action", also exit 2).
    public static TheoryData<string, string> BadImageTargets => new()
    {
        { "UPPER/Case", "repository names must be lower case" },
        { "127.0.0.1:5000/a..b", "the path component 'a..b'" },
        { "127.0.0.1:5000/$(id):latest", "the path component '$(id)'" },
        { "../../etc/passwd", "the registry '..'" },
    };

    public static TheoryData<string, string> BadRepositories => new()
    {
        { "UPPER/Case", "the component 'UPPER'" },
        { "a..b", "the component 'a..b'" },
        { "$(id)/*", "the component '$(id)'" },
        { "../../etc/passwd", "the registry '..'" },
        { "127.0.0.1:5000/Demo/**", "the component 'Demo'" },
    };

    public static TheoryData<string, string> BadPlatforms => new()
    {
        { "linux/&arm", "only letters, digits" },
        { "linux/arm64/v99", "'v99' is not a variant of arm64" },
        { "linux/ppc64le/power9", "ppc64le has no variants" },
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task Cli_ActionsCreate_BadImage_ExitsTwo_StoresNothing(string image, string reason)
    {
        var result = await InvokerCli.RunAsync(_state, "actions", "create", "bad", "--image", image);

        ShouldBeRefused(result, image, reason);
        (await InvokerCli.RunAsync(_state, "actions", "list")).StandardOutput.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Cli_ActionsCreate_BadPlatform_ExitsTwo_StoresNothing(string platform, string reason)
    {
        var result = await InvokerCli.RunAsync(_state, "actions", "create", "bad", "--image", GoodImage, "--require-platform", platform);

        ShouldBeRefused(result, platform, reason);
        (await InvokerCli.RunAsync(_state, "actions", "list")).StandardOutput.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadRepositories))]
    public async Task Cli_RulesCreate_BadRepository_ExitsTwo_StoresNothing(string repository, string reason)
    {
        var result = await InvokerCli.RunAsync(_state, "rules", "create", "bad", "--repository", repository);

        ShouldBeRefused(result, repository, reason);
        (await InvokerCli.RunAsync(_state, "rules", "list")).StandardOutput.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Cli_RulesCreate_BadPlatform_ExitsTwo_StoresNothing(string platform, string reason)
    {
        var result = await InvokerCli.RunAsync(_state, "rules", "create", "bad", "--repository", "demo/echo", "--platforms", platform);

        ShouldBeRefused(result, platform, reason);
        (await InvokerCli.RunAsync(_state, "rules", "list")).StandardOutput.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadImageTargets))]
    public async Task Cli_Invoke_BadImage_ExitsTwo(string image, string reason)
    {
        ShouldBeRefused(await InvokerCli.RunAsync(_state, "invoke", image), image, reason);
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Cli_Invoke_BadPlatform_ExitsTwo_RunsNothing(string platform, string reason)
    {
        // The registry does not answer: a platform that got past the check would end in exit 3, not 2.
        var result = await InvokerCli.RunAsync(_state, "invoke", GoodImage, "--platform", platform);

        ShouldBeRefused(result, platform, reason);
        (await InvokerCli.RunAsync(_state, "activations", "list")).StandardOutput.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadImages))]
    public async Task Rest_PutAction_BadImage_Is400_StoresNothing(string image, string reason)
    {
        await using var server = await ServerAsync();

        var put = await server.Http.PutAsJsonAsync("/v1/actions/bad", new { image });

        await ShouldBeBadRequestAsync(put, image, reason);
        (await server.Http.GetFromJsonAsync<JsonArray>("/v1/actions"))!.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Rest_PutAction_BadPlatform_Is400_StoresNothing(string platform, string reason)
    {
        await using var server = await ServerAsync();

        var put = await server.Http.PutAsJsonAsync("/v1/actions/bad", new { image = GoodImage, placement = new { required = new[] { platform } } });

        await ShouldBeBadRequestAsync(put, platform, reason);
        (await server.Http.GetFromJsonAsync<JsonArray>("/v1/actions"))!.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadRepositories))]
    public async Task Rest_PutRule_BadRepository_Is400_StoresNothing(string repository, string reason)
    {
        await using var server = await ServerAsync();

        var put = await server.Http.PutAsJsonAsync("/v1/rules/bad", new { repository });

        await ShouldBeBadRequestAsync(put, repository, reason);
        (await server.Http.GetFromJsonAsync<JsonArray>("/v1/rules"))!.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Rest_PutRule_BadPlatform_Is400_StoresNothing(string platform, string reason)
    {
        await using var server = await ServerAsync();

        var put = await server.Http.PutAsJsonAsync("/v1/rules/bad", new { repository = "demo/echo", platforms = new[] { platform } });

        await ShouldBeBadRequestAsync(put, platform, reason);
        (await server.Http.GetFromJsonAsync<JsonArray>("/v1/rules"))!.ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(BadPlatforms))]
    public async Task Rest_Invoke_BadPlatform_Is400_BlockingOrNot_RunsNothing(string platform, string reason)
    {
        await using var server = await ServerAsync();
        (await server.Http.PutAsJsonAsync("/v1/actions/good", new { image = GoodImage })).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var blocking in new[] { "true", "false" })
        {
            var invoke = await server.Http.PostAsJsonAsync($"/v1/actions/good/invocations?blocking={blocking}&platform={Uri.EscapeDataString(platform)}", new { });
            await ShouldBeBadRequestAsync(invoke, platform, reason);
        }

        (await server.Http.GetFromJsonAsync<JsonArray>("/v1/activations"))!.ShouldBeEmpty();
    }

    private static void ShouldBeRefused(CliWrap.Buffered.BufferedCommandResult result, string input, string reason)
    {
        result.ExitCode.ShouldBe(2, result.StandardError);
        result.StandardError.ShouldContain($"'{input}'");
        result.StandardError.ShouldContain(reason);
        InvokerCli.Lines(result.StandardError).ShouldHaveSingleItem();
    }

    private static async Task ShouldBeBadRequestAsync(HttpResponseMessage response, string input, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var errors = JsonNode.Parse(body)!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        var error = errors.ShouldHaveSingleItem();
        error.ShouldContain($"'{input}'");
        error.ShouldContain(reason);
    }

    private async Task<Server> ServerAsync()
    {
        var app = ServeCommand.Build(
            [$"--Invoker:InstanceId=t{TestRun.Id}-bad", $"--Invoker:StateDirectory={_state}", "--Triggers:ProcessPushes=false", "--Triggers:WebhookToken=bad-input-webhook-token"],
            "http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.ListeningAddress();
        return new Server(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    private sealed record Server(WebApplication App, HttpClient Http) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Http.Dispose();
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
