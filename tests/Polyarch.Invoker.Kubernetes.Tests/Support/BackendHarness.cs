using Microsoft.Extensions.Logging.Abstractions;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Pods;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>A Kubernetes backend wired to an API-server double through its kubeconfig, as the invoker would be.</summary>
internal sealed class BackendHarness : IAsyncDisposable
{
    private readonly HttpClient _http;

    private BackendHarness(ApiServerDouble.ApiServerDouble server, KubernetesBackend backend, KubernetesBackendOptions options, WarmPool pool, WarmPoolOptions poolOptions, HttpClient http)
    {
        _http = http;
        Server = server;
        Backend = backend;
        Options = options;
        Pool = pool;
        PoolOptions = poolOptions;
    }

    public ApiServerDouble.ApiServerDouble Server { get; }

    public KubernetesBackend Backend { get; }

    public KubernetesBackendOptions Options { get; }

    /// <summary>The core's warm pool the backend keeps its http pods in (as the invoker wires it).</summary>
    public WarmPool Pool { get; }

    public WarmPoolOptions PoolOptions { get; }

    public static async Task<BackendHarness> StartAsync(
        ApiServerDouble.ApiServerDouble server, TimeProvider? time = null, Action<KubernetesBackendOptions>? configure = null, string? templateFile = null,
        Action<WarmPoolOptions>? configurePool = null, Action<InvokerOptions>? configureInvoker = null)
    {
        var options = new KubernetesBackendOptions { Kubeconfig = server.KubeconfigPath, Instance = "test-invoker", PodTemplateFile = templateFile };
        configure?.Invoke(options);
        time ??= TimeProvider.System;
        var (client, ns) = KubernetesConnection.Connect(options);
        var inventory = new NodeInventory(client, NullLogger<NodeInventory>.Instance, time);
        var pods = new PodClient(client, ns, NullLogger<PodClient>.Instance);
        var template = await PodTemplateLoader.LoadAsync(options.PodTemplateFile, TestTimeout.Token());
        var http = new HttpClient();
        var poolOptions = new WarmPoolOptions();
        configurePool?.Invoke(poolOptions);
        var pool = new WarmPool(Microsoft.Extensions.Options.Options.Create(poolOptions), time, NullLogger<WarmPool>.Instance);
        var invoker = new InvokerOptions();
        configureInvoker?.Invoke(invoker);
        var backend = new KubernetesBackend(inventory, pods, options, invoker, template, http, pool, time, NullLogger<KubernetesBackend>.Instance);
        await backend.StartAsync(TestTimeout.Token());
        return new BackendHarness(server, backend, options, pool, poolOptions, http);
    }

    public async ValueTask DisposeAsync()
    {
        await Pool.DisposeAsync();
        await Backend.DisposeAsync();
        await Backend.Inventory.DisposeAsync();
        _http.Dispose();
    }
}
