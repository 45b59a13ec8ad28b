using Microsoft.AspNetCore.Builder;

namespace Polyarch.Testing.Hosting;

/// <summary>A started `serve` and a client for it; stopping flushes and closes its log files.</summary>
public sealed class RunningService(WebApplication app, HttpClient http) : IAsyncDisposable
{
    private bool _stopped;

    public HttpClient Http { get; } = http;

    public IServiceProvider Services => app.Services;

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
