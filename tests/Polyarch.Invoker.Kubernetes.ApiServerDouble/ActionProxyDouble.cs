using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// A TEST DOUBLE of an OpenWhisk action proxy on 127.0.0.1 (what an http action pod serves on its port): /init
/// once (a second /init is refused with 403), /run answers {"echo": value, "inits": n}. With the API-server double
/// reporting pod IP 127.0.0.1 this serves the invoker's in-cluster path (pod IP:port) and, relayed by the double's
/// port-forward, the path from outside the cluster.
/// </summary>
public sealed class ActionProxyDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _inits;
    private int _runs;

    private ActionProxyDouble(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public int Inits => Volatile.Read(ref _inits);

    public int Runs => Volatile.Read(ref _runs);

    /// <summary>
    /// True (default): a second /init is refused, like one action container. False: several pods share this listener
    /// (the double gives every pod IP 127.0.0.1), each initialising once.
    /// </summary>
    public bool RefuseSecondInit { get; set; } = true;

    /// <summary>Receives what the action "prints" (stdout lines): "init" on /init; "params …" then OpenWhisk's end-of-activation sentinel on /run.</summary>
    public Action<string>? Output { get; set; }

    /// <summary>The body of the last /init and /run, as received (to assert OpenWhisk's fields and their JSON types).</summary>
    public JsonObject? LastInit { get; private set; }

    /// <inheritdoc cref="LastInit"/>
    public JsonObject? LastRun { get; private set; }

    /// <summary>
    /// When set, /run prints the sentinel twice (on stdout and on stderr, as a real runtime does) and then this line
    /// (with the params): output after the end of the activation, i.e. the next activation's.
    /// </summary>
    public string? AfterTheEnd { get; set; }

    /// <summary>How long /init takes before it answers (a slow runtime start); the invoker's abort ends the wait.</summary>
    public TimeSpan InitDelay { get; set; }

    /// <summary>How long /run takes before it answers (a slow or hanging action); the invoker's abort ends the wait.</summary>
    public TimeSpan RunDelay { get; set; }

    /// <summary>
    /// When set, /run reads the whole request (it counts in <see cref="Runs"/>: the action ran) and then closes the
    /// connection without answering, as a proxy whose process crashed mid-activation.
    /// </summary>
    public bool BreakRun { get; set; }

    /// <summary>When above 0, /run's answer also carries a file <c>big.bin</c> of this many bytes under "polyarch:files" (base64).</summary>
    public int AnswerFileBytes { get; set; }

    /// <summary>What OpenWhisk action proxies print after each activation, on stdout and stderr.</summary>
    public const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    public static async Task<ActionProxyDouble> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var proxy = new ActionProxyDouble(app);
        app.MapPost("/init", async (HttpContext context) =>
        {
            proxy.LastInit = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
            proxy.Output?.Invoke("init");
            if (proxy.InitDelay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(proxy.InitDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
            }

            return Interlocked.Increment(ref proxy._inits) == 1 || !proxy.RefuseSecondInit
                ? Results.Json(new JsonObject { ["ok"] = true })
                : Results.Json(new JsonObject { ["error"] = "Cannot initialize the action more than once." }, statusCode: 403);
        });
        app.MapPost("/run", async (HttpContext context) =>
        {
            Interlocked.Increment(ref proxy._runs);
            var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
            proxy.LastRun = body;
            proxy.Output?.Invoke($"params {body?["value"]?.ToJsonString()}");
            proxy.Output?.Invoke(Sentinel);
            if (proxy.AfterTheEnd is { } after)
            {
                proxy.Output?.Invoke(Sentinel);
                proxy.Output?.Invoke($"{after} {body?["value"]?.ToJsonString()}");
            }

            if (proxy.BreakRun)
            {
                context.Abort();
                return Results.Empty;
            }

            if (proxy.RunDelay > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(proxy.RunDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return Results.Empty;
                }
            }

            var answer = new JsonObject { ["echo"] = body?["value"]?.DeepClone(), ["inits"] = proxy.Inits };
            if (proxy.AnswerFileBytes > 0)
            {
                answer["polyarch:files"] = new JsonObject { ["big.bin"] = Convert.ToBase64String(new byte[proxy.AnswerFileBytes]) };
            }

            return Results.Json(answer);
        });
        await app.StartAsync();
        proxy.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
