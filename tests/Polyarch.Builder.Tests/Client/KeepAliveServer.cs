using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Polyarch.Testing.Hosting;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// A loopback Kestrel that records each request (its connection id, path and Authorization header); answers /healthz with an
/// instance id and anything else with a fixed JSON body.
/// </summary>
internal sealed class KeepAliveServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<(string Connection, string Path, string? Authorization)> _requests = [];

    private KeepAliveServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public IReadOnlyList<(string Connection, string Path, string? Authorization)> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<KeepAliveServer> StartAsync(string instance, string answer)
    {
        var server = new KeepAliveServer(LoopbackWeb.CreateBuilder().Build());
        server._app.Run(async context =>
        {
            lock (server._requests)
            {
                server._requests.Add((context.Connection.Id, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.FirstOrDefault()));
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(context.Request.Path == "/healthz" ? $"{{\"status\":\"ok\",\"instance\":\"{instance}\"}}" : answer);
        });
        await server._app.StartAsync();
        server.Url = server._app.ListeningAddress();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
