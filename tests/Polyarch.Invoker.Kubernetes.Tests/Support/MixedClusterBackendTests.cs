namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>Tests of the Kubernetes backend on <see cref="MixedCluster"/>: a fresh API-server double and backend per test.</summary>
public abstract class MixedClusterBackendTests : IAsyncLifetime
{
    private protected ApiServerDouble.ApiServerDouble Server { get; private set; } = null!;

    private protected BackendHarness Harness { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await MixedCluster.StartAsync();
        Harness = await BackendHarness.StartAsync(Server);
    }

    public async Task DisposeAsync()
    {
        await Harness.DisposeAsync();
        await Server.DisposeAsync();
    }
}
