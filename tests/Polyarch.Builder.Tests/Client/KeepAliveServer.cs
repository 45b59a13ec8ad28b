using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new KeepAliveServer(builder.Build());
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
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
