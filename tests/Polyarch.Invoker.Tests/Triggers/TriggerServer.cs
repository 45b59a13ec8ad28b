using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Hosting.Rest;
using Polyarch.Invoker.Triggers;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>`polyarch-invoker serve` on a free loopback port with a given state directory (restartable on the same state).</summary>
internal sealed class TriggerServer : IAsyncDisposable
{
    public const string Token = "test-webhook-token-0123456789";

    private readonly WebApplication _app;

    private TriggerServer(WebApplication app, HttpClient http)
    {
        _app = app;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<TriggerServer> StartAsync(string stateDirectory, string instance, string registry, bool processPushes = true, IEnumerable<string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var app = ServeCommand.Build(
            [
                $"--Invoker:InstanceId={instance}",
                $"--Invoker:StateDirectory={stateDirectory}",
                $"--Docker:ExtraLabels:{TestRun.LabelKey}={TestRun.Id}",
                $"--Triggers:WebhookToken={Token}",
                $"--Triggers:DefaultRegistry={registry}",
                $"--Triggers:ProcessPushes={processPushes}",
                "--Triggers:PollInterval=00:00:00.200",
                .. settings ?? [],
            ],
            "http://127.0.0.1:0",
            services);
        await app.StartAsync();
        var address = app.ListeningAddress();
        var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
        return new TriggerServer(app, http);
    }

    /// <summary>Posts one envelope the way distribution does (v1 media type, bearer token unless given otherwise).</summary>
    public async Task<HttpResponseMessage> PostEnvelopeAsync(string json, string? token = Token, string mediaType = "application/vnd.docker.distribution.events.v1+json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, RegistryWebhookEndpoint.Path) { Content = new StringContent(json) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Http.SendAsync(request);
    }

    /// <summary>Posts a burst envelope by envelope, each answered 200 (the registry's view: delivered).</summary>
    public async Task PostAllAsync(IEnumerable<string> burst)
    {
        foreach (var envelope in burst)
        {
            using var response = await PostEnvelopeAsync(envelope);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Creates or replaces rule <paramref name="name"/> through the REST API, answered 200.</summary>
    public async Task PutRuleAsync(string name, object rule)
    {
        using var response = await Http.PutAsJsonAsync($"/v1/rules/{name}", rule);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits (up to 3 min) until no push is pending and every started firing has finished.</summary>
    public async Task WaitUntilQuietAsync()
    {
        var pushes = Services.GetRequiredService<PushStore>();
        for (var i = 0; i < 900 && await pushes.CountPendingAsync(CancellationToken.None) > 0; i++)
        {
            await Task.Delay(200);
        }

        (await pushes.CountPendingAsync(CancellationToken.None)).ShouldBe(0, "pushes are still pending after 3 minutes");
        await Services.GetRequiredService<FiringRunner>().WhenIdleAsync();
        // Activation records are written off the invocation path; give the recorder its moment.
        await Task.Delay(500);
    }

    public async Task<IReadOnlyList<Firing>> FiringsAsync() =>
        await Services.GetRequiredService<FiringStore>().ListAsync(CancellationToken.None);

    public async Task<IReadOnlyList<ActivationRecord>> ActivationsAsync() =>
        await Services.GetRequiredService<IActivationStore>().ListAsync(null, 1000, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
