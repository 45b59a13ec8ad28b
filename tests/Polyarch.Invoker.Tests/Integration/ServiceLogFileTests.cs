using System.Net.Http.Json;
using Polyarch.Invoker.Hosting;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>`serve` with ServiceLog:Path: the log goes to the file, without a line per activation call by default.</summary>
[Trait("Category", "Integration")]
public sealed class ServiceLogFileTests : IDisposable
{
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-servicelog-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Serve_LogsToTheRotatingFile_RequestLinesOfInvocationsAreDebug_ChangesAreInformation()
    {
        var log = Path.Combine(_state, "logs", "invoker.log");
        var app = ServeCommand.Build(
            [$"--Invoker:InstanceId=t{TestRun.Id}-log", $"--Invoker:StateDirectory={_state}", "--Triggers:ProcessPushes=false",
             "--Triggers:WebhookToken=service-log-webhook-token", $"--ServiceLog:Path={log}", "--ServiceLog:FileSizeLimitBytes=1048576"],
            "http://127.0.0.1:0");
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.ListeningAddress()) };
            (await http.PutAsJsonAsync("/v1/actions/logged", new { image = "127.0.0.1:9/demo/echo:latest" })).EnsureSuccessStatusCode();
            for (var i = 0; i < 20; i++)
            {
                // Refused before the registry is asked (an unknown variant); the request line is what is logged.
                await http.PostAsJsonAsync("/v1/actions/logged/invocations?platform=linux/arm64/v99", new { i });
                await http.GetAsync("/healthz");
            }
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        var text = await File.ReadAllTextAsync(log);
        text.ShouldContain("PUT /v1/actions/logged responded 200");
        text.ShouldNotContain("/invocations");
        text.ShouldNotContain("/healthz");
        text.ShouldNotContain("Request starting");
        text.ShouldNotContain("Executing endpoint");
    }
}
