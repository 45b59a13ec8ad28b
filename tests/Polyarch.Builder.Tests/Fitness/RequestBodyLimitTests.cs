using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Fitness;

/// <summary>Issue 11 item 8: the git webhook's own cap (Builder:Webhooks:MaxBodyBytes), also when chunked. Service:MaxRequestBodyBytes is a shared hosting case (HostingConventionCases).</summary>
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
}
