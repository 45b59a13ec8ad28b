using System.Globalization;
using System.Net.Http;

namespace Polyarch.Invoker.Kubernetes.Access;

/// <summary>
/// The HTTP client and address for a warm pod's action proxy: http://podIP:port/ in the cluster, or — from outside —
/// http://podName:port/ on a handler whose every connection is a port-forward WebSocket to that pod (pooled and kept
/// alive like any HTTP connection, so a warm activation usually opens none).
/// </summary>
internal sealed class PodHttp : IDisposable
{
    private readonly HttpClient? _owned;

    private PodHttp(PodAccess access, HttpClient client, HttpClient? owned)
    {
        Access = access;
        Client = client;
        _owned = owned;
    }

    /// <summary><see cref="PodAccess.PodIp"/> or <see cref="PodAccess.PortForward"/> (never Auto).</summary>
    public PodAccess Access { get; }

    public HttpClient Client { get; }

    /// <summary>Pod IP access on the given client (the invoker's IHttpClientFactory client).</summary>
    public static PodHttp ForPodIp(HttpClient client) => new(PodAccess.PodIp, client, null);

    /// <summary>Port-forward access: <paramref name="open"/> opens one forwarded connection to (pod, port).</summary>
    public static PodHttp ForPortForward(Func<string, int, CancellationToken, Task<Stream>> open)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            // The "host" of a port-forward address is the pod's name: connect through the API server instead of DNS.
            ConnectCallback = async (context, cancellationToken) =>
                await open(context.DnsEndPoint.Host, context.DnsEndPoint.Port, cancellationToken),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        return new PodHttp(PodAccess.PortForward, client, client);
    }

    /// <summary>Where to POST /init and /run.</summary>
    public Uri AddressOf(string podName, string? podIp, int port) => Access == PodAccess.PortForward
        ? new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{podName}:{port}/"))
        : new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{(podIp is not null && podIp.Contains(':', StringComparison.Ordinal) ? $"[{podIp}]" : podIp)}:{port}/"));

    public void Dispose() => _owned?.Dispose();
}
