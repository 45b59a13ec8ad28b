using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Hosting;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Triggers;

[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceFitnessTests : IDisposable
{
    private const string Key = "fitness-test-api-key-0123456789";
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-fitness-").FullName;

    [Fact]
    public async Task Serve_WithApiKeysOn_Rejects_v1_WithoutTheKey_ButNotTheHealthOrWebhookPaths()
    {
        var app = ServeCommand.Build(Args("--Service:RequireApiKey=true", $"--Service:ApiKey={Key}"), "http://127.0.0.1:0");
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.ListeningAddress()) };

            (await http.GetAsync("/v1/rules")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync("/readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
            // The webhook answers for itself: 401 for a missing registry token, not for a missing API key.
            var hook = await http.PostAsync("/v1/hooks/registry", new StringContent("{}"));
            hook.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await hook.Content.ReadAsStringAsync()).ShouldContain("registry-webhook.token");

            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
            (await http.GetAsync("/v1/rules")).StatusCode.ShouldBe(HttpStatusCode.OK);
            var metrics = await http.GetStringAsync("/metrics");
            metrics.ShouldContain("http_requests_received_total");
            metrics.ShouldContain("polyarch_invoker_pending_pushes");
            var openApi = await http.GetStringAsync("/openapi/v1.json");
            openApi.ShouldContain("/v1/rules/{name}");
            openApi.ShouldContain("/v1/hooks/registry");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task Serve_OnANonLoopbackAddress_WithBadSettings_FailsAtStartUp_NamingEverySetting()
    {
        var app = ServeCommand.Build(Args("--Service:ApiKey=short", "--Triggers:ReconcileInterval=00:00:00"), "http://0.0.0.0:0");
        try
        {
            var exception = await Should.ThrowAsync<Exception>(() => app.StartAsync());

            // One report of every problem, each naming its setting.
            var messages = exception is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(e => e.Message)) : exception.Message;
            messages.ShouldContain("Service:AllowRemote", customMessage: exception.ToString());
            messages.ShouldContain("Service:ApiKey");
            messages.ShouldContain("ReconcileInterval");
        }
        finally
        {
            await app.DisposeAsync();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    private string[] Args(params string[] extra) =>
        [$"--Invoker:InstanceId=t{TestRun.Id}-fit", $"--Invoker:StateDirectory={_state}", "--Triggers:WebhookToken=fitness-webhook-token", .. extra];
}
