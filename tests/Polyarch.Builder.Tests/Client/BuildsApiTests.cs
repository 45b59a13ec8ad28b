using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Fitness;

namespace Polyarch.Builder.Tests.Client;

/// <summary>The REST endpoints the CLI verbs use, without builds running: cancel of a queued build, 409, 404, events of a finished build, the key.</summary>
[Collection(ServeHostCollection.Name)]
public sealed class BuildsApiTests
{
    internal static BuildRequest Request(string repository = "demo/queued") =>
        new("https://git.example.com/team/fn.git", "127.0.0.1:5000", repository, new string('a', 40), "main", true, ["linux/amd64"], "api");

    [Fact]
    public async Task A_queued_build_is_cancelled_at_once_only_with_the_api_key_and_a_second_cancel_is_a_conflict()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        var store = serve.Services.GetRequiredService<IBuildStore>();
        var id = (await store.SubmitAsync(Request(), null, CancellationToken.None)).Build.Id;

        using var withoutKey = await serve.Http.PostAsync($"/v1/builds/{id}/cancel", content: null);
        withoutKey.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await store.GetAsync(id, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Queued);

        serve.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Key);
        using var cancelled = await serve.Http.PostAsync($"/v1/builds/{id}/cancel", content: null);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, await cancelled.Content.ReadAsStringAsync());
        (await store.GetAsync(id, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Cancelled);

        using var again = await serve.Http.PostAsync($"/v1/builds/{id}/cancel", content: null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await again.Content.ReadAsStringAsync()).ShouldContain("already ended as cancelled");
        using var unknown = await serve.Http.PostAsync("/v1/builds/nope/cancel", content: null);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var events = (await serve.Http.GetStringAsync($"/v1/builds/{id}/events")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        events.Length.ShouldBe(1);
        JsonNode.Parse(events[0])!["build"]!["status"]!.GetValue<string>().ShouldBe("cancelled");
    }

    [Fact]
    public async Task A_cancelled_commit_can_be_submitted_again_as_a_new_build()
    {
        await using var serve = await ServeHost.StartAsync();
        var store = serve.Services.GetRequiredService<IBuildStore>();
        var first = (await store.SubmitAsync(Request("demo/again"), null, CancellationToken.None)).Build.Id;
        using var cancelled = await serve.Http.PostAsync($"/v1/builds/{first}/cancel", content: null);
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK);

        var second = await store.SubmitAsync(Request("demo/again"), null, CancellationToken.None);

        second.Created.ShouldBeTrue();
        second.Build.Id.ShouldNotBe(first);
    }

    [Fact]
    public async Task A_submission_with_bad_input_is_a_400_carrying_the_cli_exit_code_and_stores_nothing()
    {
        await using var serve = await ServeHost.StartAsync();

        using var response = await serve.Http.PostAsync("/v1/builds", new StringContent("{\"source\":\"/nonexistent/repo\",\"ref\":\"bad..ref\"}", System.Text.Encoding.UTF8, "application/json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        problem["exitCode"]!.GetValue<int>().ShouldBe(2);
        problem["detail"]!.GetValue<string>().ShouldContain("bad..ref");
        (await serve.Services.GetRequiredService<IBuildStore>().ListAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }
}
