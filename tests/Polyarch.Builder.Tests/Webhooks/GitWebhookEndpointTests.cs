using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Builder.Tests.Support;
using Polyarch.Builder.Webhooks;

namespace Polyarch.Builder.Tests.Webhooks;

public sealed class GitWebhookEndpointTests : IDisposable
{
    private readonly BuilderAppFactory _factory = new();
    private readonly HttpClient _client;

    public GitWebhookEndpointTests()
    {
        _client = _factory.CreateClient();
    }

    private async Task<int> BuildCountAsync()
    {
        var builds = await _client.GetFromJsonAsync<JsonArray>("/v1/builds");
        return builds!.Count;
    }

    private static async Task<string> AcceptedBuildIdAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["buildId"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_signed_GitHub_push_is_stored_and_answered_202_with_the_build()
    {
        using var response = await _client.SendAsync(WebhookPayloads.GitHub(WebhookPayloads.GitHubPush()));
        var id = await AcceptedBuildIdAsync(response);

        var build = await _client.GetFromJsonAsync<JsonObject>($"/v1/builds/{id}");
        build!["status"]!.GetValue<string>().ShouldBe("queued");
        build["request"]!["repository"]!.GetValue<string>().ShouldBe("demo/echo");
        build["request"]!["commit"]!.GetValue<string>().ShouldBe(WebhookPayloads.Commit);
        build["request"]!["isDefaultBranch"]!.GetValue<bool>().ShouldBeTrue();
        build["request"]!["trigger"]!.GetValue<string>().ShouldBe("webhook:github");
    }

    [Theory]
    [InlineData("X-Gitea")]
    [InlineData("X-Forgejo")]
    public async Task A_signed_Gitea_or_Forgejo_push_starts_a_build(string headerPrefix)
    {
        using var response = await _client.SendAsync(WebhookPayloads.Gitea(WebhookPayloads.GitHubPush("feature/x"), headerPrefix));

        await AcceptedBuildIdAsync(response);
        (await BuildCountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task A_GitLab_push_with_the_token_starts_a_build()
    {
        using var response = await _client.SendAsync(WebhookPayloads.GitLab(WebhookPayloads.GitLabPush()));

        await AcceptedBuildIdAsync(response);
        (await BuildCountAsync()).ShouldBe(1);
    }

    public static TheoryData<string, HttpStatusCode> Refused()
    {
        var body = WebhookPayloads.GitHubPush();
        var signature = "sha256=" + WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), BuilderAppFactory.Secret);
        var reserialised = JsonSerializer.Serialize(JsonNode.Parse(body));
        return new TheoryData<string, HttpStatusCode>
        {
            { "missing", HttpStatusCode.Unauthorized },
            { "wrong", HttpStatusCode.Unauthorized },
            { "truncated", HttpStatusCode.Unauthorized },
            { "no-prefix", HttpStatusCode.Unauthorized },
            { "other-secret", HttpStatusCode.Unauthorized },
            { "reserialised", HttpStatusCode.Unauthorized },
            { "gitlab-wrong-token", HttpStatusCode.Unauthorized },
            { "malformed", HttpStatusCode.BadRequest },
            { "oversized", HttpStatusCode.RequestEntityTooLarge },
            { "no-ref", HttpStatusCode.BadRequest },
            { "bad-commit", HttpStatusCode.BadRequest },
            { "unknown-sender", HttpStatusCode.BadRequest },
            { "not-allowlisted", HttpStatusCode.Forbidden },
            { "local-path", HttpStatusCode.Forbidden },
        };
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task Unsigned_tampered_or_invalid_deliveries_are_refused_and_build_nothing(string @case, HttpStatusCode expected)
    {
        var body = WebhookPayloads.GitHubPush();
        var valid = "sha256=" + WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), BuilderAppFactory.Secret);
        using var request = @case switch
        {
            "missing" => WebhookPayloads.Create(body, new() { ["X-GitHub-Event"] = "push", ["X-GitHub-Delivery"] = "d1" }),
            "wrong" => WebhookPayloads.GitHub(body, signature: "sha256=" + new string('0', 64)),
            "truncated" => WebhookPayloads.GitHub(body, signature: valid[..40]),
            "no-prefix" => WebhookPayloads.GitHub(body, signature: valid["sha256=".Length..]),
            "other-secret" => WebhookPayloads.GitHub(body, signature: "sha256=" + WebhookSignature.Sign(Encoding.UTF8.GetBytes(body), "guess")),
            "reserialised" => WebhookPayloads.GitHub(JsonSerializer.Serialize(JsonNode.Parse(body)), signature: valid),
            "gitlab-wrong-token" => WebhookPayloads.GitLab(WebhookPayloads.GitLabPush(), token: BuilderAppFactory.Secret + "x"),
            "malformed" => WebhookPayloads.GitHub("{\"ref\": \"refs/heads/main\", "),
            "oversized" => WebhookPayloads.GitHub(body.Replace("\"octo\"", $"\"{new string('x', 70_000)}\"", StringComparison.Ordinal)),
            "no-ref" => WebhookPayloads.GitHub("{\"after\":\"" + WebhookPayloads.Commit + "\"}"),
            "bad-commit" => WebhookPayloads.GitHub(WebhookPayloads.GitHubPush(after: "HEAD~1; rm -rf /")),
            "unknown-sender" => WebhookPayloads.Create(body, new() { ["X-Hub-Signature-256"] = valid }),
            "not-allowlisted" => WebhookPayloads.GitHub(body.Replace("git.example.com/team", "evil.example.com/team", StringComparison.Ordinal)),
            "local-path" => WebhookPayloads.GitHub(body
                .Replace("https://git.example.com/team/echo.git", "/srv/git/echo", StringComparison.Ordinal)
                .Replace("https://git.example.com/team/echo", "file:///srv/git/echo", StringComparison.Ordinal)
                .Replace("git@git.example.com:team/echo.git", "", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };

        using var response = await _client.SendAsync(request);

        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync());
        (await BuildCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task The_same_delivery_twice_is_one_build()
    {
        var body = WebhookPayloads.GitHubPush();

        using var first = await _client.SendAsync(WebhookPayloads.GitHub(body, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
        using var second = await _client.SendAsync(WebhookPayloads.GitHub(body, delivery: "72d3162e-cc78-11e3-81ab-4c9367dc0958"));

        (await AcceptedBuildIdAsync(second)).ShouldBe(await AcceptedBuildIdAsync(first));
        (await BuildCountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_delivery_sent_concurrently_is_one_build()
    {
        var body = WebhookPayloads.GitHubPush("dev");

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => _client.SendAsync(WebhookPayloads.GitHub(body, delivery: "concurrent-delivery"))));
        var ids = await Task.WhenAll(responses.Select(AcceptedBuildIdAsync));

        ids.Distinct().Count().ShouldBe(1);
        (await BuildCountAsync()).ShouldBe(1);
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_ping_is_answered_200_and_builds_nothing()
    {
        using var response = await _client.SendAsync(WebhookPayloads.GitHub("{\"zen\":\"Keep it logically awesome.\",\"hook_id\":1}", eventName: "ping"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await BuildCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task A_branch_deletion_or_tag_push_builds_nothing()
    {
        using var deletion = await _client.SendAsync(WebhookPayloads.GitHub(WebhookPayloads.GitHubPush(after: new string('0', 40))));
        using var tag = await _client.SendAsync(WebhookPayloads.GitHub(WebhookPayloads.GitHubPush().Replace("refs/heads/main", "refs/tags/v1", StringComparison.Ordinal)));

        deletion.StatusCode.ShouldBe(HttpStatusCode.OK);
        tag.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await BuildCountAsync()).ShouldBe(0);
    }

    [Fact]
    public async Task Unknown_builds_are_404()
    {
        using var response = await _client.GetAsync("/v1/builds/does-not-exist");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
