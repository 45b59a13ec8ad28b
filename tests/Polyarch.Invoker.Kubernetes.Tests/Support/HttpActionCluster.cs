using Polyarch.Invoker.Kubernetes.ApiServerDouble;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>
/// The mixed cluster serving http actions: the API-server double with pods that serve, the action-proxy double
/// every pod's address leads to, and the backend under test. Disposing it checks that the double never failed.
/// </summary>
internal sealed class HttpActionCluster : IAsyncDisposable
{
    private HttpActionCluster(ApiServerDouble.ApiServerDouble server, ActionProxyDouble proxy)
    {
        Server = server;
        Proxy = proxy;
    }

    public ApiServerDouble.ApiServerDouble Server { get; }

    public ActionProxyDouble Proxy { get; }

    public BackendHarness Harness { get; private set; } = null!;

    /// <param name="time">The backend's clock (idle timeouts, sweeps).</param>
    /// <param name="configure">Backend options for the test.</param>
    /// <param name="prepare">Runs before the backend starts (e.g. to script the proxy double).</param>
    /// <param name="configurePool">The core's warm pool options (caps, idle timeout) for the test.</param>
    /// <param name="configureInvoker">The core's invoker options (result and files caps) for the test.</param>
    public static async Task<HttpActionCluster> StartAsync(
        TimeProvider? time = null, Action<KubernetesBackendOptions>? configure = null, Action<HttpActionCluster>? prepare = null,
        Action<Polyarch.Invoker.Pool.WarmPoolOptions>? configurePool = null, Action<InvokerOptions>? configureInvoker = null)
    {
        var server = await MixedCluster.StartAsync();
        server.Behaviour = _ => PodBehaviour.Serve;
        var cluster = new HttpActionCluster(server, await ActionProxyDouble.StartAsync());
        prepare?.Invoke(cluster);
        cluster.Harness = await BackendHarness.StartAsync(server, time, configure, configurePool: configurePool, configureInvoker: configureInvoker);
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Proxy.DisposeAsync();
        await Server.DisposeAsync();
        Server.Failures.ShouldBeEmpty("the API-server double itself failed");
    }
}
