using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Polyarch.Invoker.Tests.Fitness;

/// <summary>Issue 11 item 8: request bodies are capped (Service:MaxRequestBodyBytes, 1 MiB; the registry webhook's own Triggers:MaxEnvelopeBytes), also when chunked.</summary>
[Trait("Category", "Integration")] // serve removes its instance's leftover containers at start-up (InvokerStartup): it needs the Docker engine.
public sealed class RequestBodyLimitTests
{
    private const int MiB = 1024 * 1024;

    [Theory]
    [InlineData("PUT", "/v1/actions/big", false)]
    [InlineData("PUT", "/v1/actions/big", true)]
    [InlineData("PUT", "/v1/rules/big", false)]
    [InlineData("PUT", "/v1/rules/big", true)]
    [InlineData("POST", "/v1/actions/small/invocations", false)]
    [InlineData("POST", "/v1/actions/small/invocations", true)]
    [InlineData("POST", "/V1/ACTIONS/small/invocations", true)]
    public async Task Body_OverOneMiB_Is413_NamingTheLimitAndTheOption(string method, string path, bool chunked)
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        await CreateActionAsync(serve, "small");

        using var response = await SendAsync(serve, method, path, Padded(MiB + 1), chunked, ServeHost.Key);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        var body = await response.Content.ReadAsStringAsync();
        body.ShouldContain("1048576 bytes");
        body.ShouldContain("Service:MaxRequestBodyBytes");
        (await serve.Http.SendAsync(Authorized(HttpMethod.Get, "/v1/actions/big"))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Body_UnderTheLimit_IsAccepted_AndTheLimitIsConfigurable()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}", "--Service:MaxRequestBodyBytes=4096");

        using (var small = await SendAsync(serve, "PUT", "/v1/actions/fits", ActionJson(padding: 3000), chunked: true, ServeHost.Key))
        {
            small.StatusCode.ShouldBe(HttpStatusCode.OK, await small.Content.ReadAsStringAsync());
        }

        using var large = await SendAsync(serve, "PUT", "/v1/actions/fits", ActionJson(padding: 5000), chunked: true, ServeHost.Key);
        large.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await large.Content.ReadAsStringAsync()).ShouldContain("4096 bytes");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RegistryWebhook_EnvelopeOverTriggersMaxEnvelopeBytes_Is413_AlsoWhenChunked(bool chunked)
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");

        using var response = await SendAsync(serve, "POST", "/v1/hooks/registry", Padded(MiB + 1), chunked, ServeHost.WebhookToken);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await response.Content.ReadAsStringAsync()).ShouldContain("Triggers:MaxEnvelopeBytes");
    }

    private static async Task CreateActionAsync(ServeHost serve, string name)
    {
        using var response = await SendAsync(serve, "PUT", $"/v1/actions/{name}", ActionJson(padding: 0), chunked: false, ServeHost.Key);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static string ActionJson(int padding) =>
        $$$"""{"image": "127.0.0.1:5000/demo/echo:latest", "environment": {"PAD": "{{{new string('x', padding)}}}"}}""";

    /// <summary>A JSON object of about <paramref name="bytes"/> bytes (valid, so only its size can be refused).</summary>
    private static string Padded(int bytes) => $$"""{"events": [], "pad": "{{new string('x', bytes)}}"}""";

    private static HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServeHost.Key);
        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(ServeHost serve, string method, string path, string json, bool chunked, string bearer)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);

        // Chunked: no Content-Length for the server to check up front.
        request.Headers.TransferEncodingChunked = chunked;
        return await serve.Http.SendAsync(request);
    }
}
