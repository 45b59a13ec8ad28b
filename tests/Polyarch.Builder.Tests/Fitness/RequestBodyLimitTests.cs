using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Fitness;

/// <summary>Issue 11 item 8: request bodies are capped (the git webhook's Builder:Webhooks:MaxBodyBytes, Service:MaxRequestBodyBytes elsewhere), also when chunked.</summary>
[Collection(ServeHostCollection.Name)]
public sealed class RequestBodyLimitTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task GitWebhook_BodyOverBuilderWebhooksMaxBodyBytes_Is413_AlsoWhenChunked(bool chunked)
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        var body = WebhookPayloads.GitHubPush().Replace("\"octo\"", $"\"{new string('x', 1024 * 1024)}\"", StringComparison.Ordinal);
        using var request = WebhookPayloads.GitHub(body);
        request.Headers.TransferEncodingChunked = chunked;

        using var response = await serve.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Builder:Webhooks:MaxBodyBytes");
    }

    [Fact]
    public async Task RestApi_BodyOverServiceMaxRequestBodyBytes_Is413_NamingTheLimitAndTheOption()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}", "--Service:MaxRequestBodyBytes=4096");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/V1/BUILDS") { Content = new StringContent(new string('x', 5000), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Key);

        using var response = await serve.Http.SendAsync(request);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var error = await response.Content.ReadAsStringAsync();
        error.ShouldContain("4096 bytes");
        error.ShouldContain("Service:MaxRequestBodyBytes");
    }
}
