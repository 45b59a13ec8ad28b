using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Webhooks;

/// <summary>Pushes that can never build are answered 400 naming the input, and nothing is stored.</summary>
public sealed class WebhookInputTests : IDisposable
{
    private readonly BuilderAppFactory _factory = new();
    private readonly HttpClient _client;

    public WebhookInputTests()
    {
        _client = _factory.CreateClient();
    }

    [Theory]
    [InlineData("refs/heads/a..b", "'..'")]
    [InlineData("refs/heads/x.lock", "'.lock'")]
    [InlineData("refs/heads/has space", "a space")]
    [InlineData("refs/heads/a~1", "'~'")]
    [InlineData("refs/heads/", "'/'")]
    public async Task A_ref_git_would_refuse_is_400_and_stores_nothing(string gitRef, string reason)
    {
        var body = WebhookPayloads.GitHubPush().Replace("\"refs/heads/main\"", $"\"{gitRef}\"", StringComparison.Ordinal);

        using var response = await _client.SendAsync(WebhookPayloads.GitHub(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        detail.ShouldContain("not a valid git ref name");
        detail.ShouldContain(reason);
        (await _client.GetFromJsonAsync<JsonArray>("/v1/builds"))!.Count.ShouldBe(0);
    }

    [Theory]
    [InlineData("UPPER..Case", "'upper..case'")]
    [InlineData("a..b", "'a..b'")]
    [InlineData("-dash", "'-dash'")]
    public async Task A_repository_name_derived_from_the_allowlist_that_the_registry_would_refuse_is_400_and_stores_nothing(string name, string reason)
    {
        var body = WebhookPayloads.GitHubPush().Replace("team/echo", $"team/{name}", StringComparison.Ordinal);

        using var response = await _client.SendAsync(WebhookPayloads.GitHub(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var detail = (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        detail.ShouldContain(reason);
        detail.ShouldContain("Builder:Allowlist");
        (await _client.GetFromJsonAsync<JsonArray>("/v1/builds"))!.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_derived_repository_name_over_255_characters_with_the_registry_is_400()
    {
        var body = WebhookPayloads.GitHubPush().Replace("team/echo", $"team/{new string('e', 240)}", StringComparison.Ordinal);

        using var response = await _client.SendAsync(WebhookPayloads.GitHub(body));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadAsStringAsync()).ShouldContain("at most 255");
        (await _client.GetFromJsonAsync<JsonArray>("/v1/builds"))!.Count.ShouldBe(0);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
