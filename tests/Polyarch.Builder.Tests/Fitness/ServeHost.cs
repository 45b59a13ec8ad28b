using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Fitness;

/// <summary>`polyarch-builder serve` as it runs (ServeCommand.Build, Kestrel on a free loopback port, queue not processed) in its own state directory.</summary>
internal sealed class ServeHost : IAsyncDisposable
{
    public const string Key = "route-table-test-api-key-0123456789";

    private readonly WebApplication _app;
    private readonly TempDirectory _state;
    private bool _stopped;

    private ServeHost(WebApplication app, TempDirectory state, HttpClient http)
    {
        _app = app;
        _state = state;
        Http = http;
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public string StateDirectory => _state.Path;

    public static async Task<ServeHost> StartAsync(params string[] settings)
    {
        var state = new TempDirectory();
        var app = ServeCommand.Build(
            [
                $"--Builder:StateDirectory={state.Path}",
                $"--Builder:CacheDirectory={state.Path}/cache",
                "--Builder:ProcessQueue=false",
                $"--Builder:Webhooks:Secret={BuilderAppFactory.Secret}",
                "--Builder:Allowlist:0:UrlPattern=https://git.example.com/team/*",
                "--Builder:Allowlist:0:Repository=demo/{name}",
                .. settings.Select(s => s.Replace("{state}", state.Path, StringComparison.Ordinal)),
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
        _state.Dispose();
    }
}
