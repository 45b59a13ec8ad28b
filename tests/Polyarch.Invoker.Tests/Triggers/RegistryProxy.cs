using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// An HTTP proxy on a free loopback port in front of a real distribution registry: every request is passed through
/// unchanged, except that a tag can be made unknown (404 MANIFEST_UNKNOWN, as distribution answers) for its next N
/// lookups — the moment between a manifest's push event and the link of its tag. It records what it was asked.
/// </summary>
internal sealed class RegistryProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly ConcurrentQueue<string> _requests = new();
    private string? _hiddenPath;
    private int _hiddenAnswers;

    private RegistryProxy(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    /// <summary>host:port of the proxy (a registry name the invoker can be given).</summary>
    public string Address { get; private set; } = "";

    /// <summary>"METHOD /path?query" of every request answered so far, in order.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<RegistryProxy> StartAsync(string upstreamRegistry)
    {
        var app = LoopbackWeb.CreateBuilder().Build();
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://{upstreamRegistry}/"),
            Timeout = TimeSpan.FromMinutes(5),
        };
        var proxy = new RegistryProxy(app, upstream);
        app.Run(proxy.ForwardAsync);
        await app.StartAsync();
        proxy.Address = new Uri(app.ListeningAddress()).Authority;
        return proxy;
    }

    /// <summary>The next <paramref name="answers"/> HEAD/GET requests of repository:tag answer 404 (int.MaxValue: all of them).</summary>
    public void HideTag(string repository, string tag, int answers)
    {
        _hiddenPath = $"/v2/{repository}/manifests/{tag}";
        Volatile.Write(ref _hiddenAnswers, answers);
    }

    /// <summary>How many HEAD requests named repository:tag.</summary>
    public int HeadsOf(string repository, string tag) =>
        Requests.Count(r => r == $"HEAD /v2/{repository}/manifests/{tag}");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Path.ToString() + request.QueryString;
        try
        {
            if (request.Path == _hiddenPath && (HttpMethods.IsHead(request.Method) || HttpMethods.IsGet(request.Method))
                && Interlocked.Decrement(ref _hiddenAnswers) >= 0)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                context.Response.ContentType = "application/json; charset=utf-8";
                if (!HttpMethods.IsHead(request.Method))
                {
                    await context.Response.WriteAsync("""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":"unknown tag"}]}""");
                }

                return;
            }

            using var upstreamRequest = new HttpRequestMessage(new HttpMethod(request.Method), target.TrimStart('/'));
            if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
            {
                upstreamRequest.Content = new StreamContent(request.Body);
            }

            foreach (var (name, values) in request.Headers)
            {
                if (!HopByHop.Contains(name) && !upstreamRequest.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                {
                    upstreamRequest.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
                }
            }

            using var response = await _upstream.SendAsync(upstreamRequest, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                if (!HopByHop.Contains(name))
                {
                    context.Response.Headers[name] = values.ToArray();
                }
            }

            if (!HttpMethods.IsHead(request.Method))
            {
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
        }
        finally
        {
            // Recorded once answered: a test that waits for a request knows the answer was computed by then.
            _requests.Enqueue($"{request.Method} {target}");
        }
    }
}
