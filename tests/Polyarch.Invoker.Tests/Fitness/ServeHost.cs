using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Hosting;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Fitness;

/// <summary>`polyarch-invoker serve` as it runs (ServeCommand.Build, Kestrel on a free loopback port) in its own state directory.</summary>
internal sealed class ServeHost : IAsyncDisposable
{
    public const string Key = "route-table-test-api-key-0123456789";
    public const string WebhookToken = "route-table-test-webhook-token";

    private readonly WebApplication _app;
    private readonly string _state;
    private bool _stopped;

    private ServeHost(WebApplication app, string state, HttpClient http)
    {
        _app = app;
        _state = state;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public string StateDirectory => _state;

    public static async Task<ServeHost> StartAsync(params string[] settings)
    {
        var state = Directory.CreateTempSubdirectory("invoker-serve-").FullName;
        var app = ServeCommand.Build(
            [
                $"--Invoker:InstanceId=t{TestRun.Id}-serve",
                $"--Invoker:StateDirectory={state}",
                $"--Docker:ExtraLabels:{TestRun.LabelKey}={TestRun.Id}",
                $"--Triggers:WebhookToken={WebhookToken}",
                "--Triggers:ProcessPushes=false",
                .. settings.Select(s => s.Replace("{state}", state, StringComparison.Ordinal)),
            ],
            "http://127.0.0.1:0");
        await app.StartAsync();
        var address = app.ListeningAddress();
        return new ServeHost(app, state, new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(1) });
    }

    /// <summary>Stops the service (its logger flushes and closes its files); the state directory stays until disposal.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }
}
