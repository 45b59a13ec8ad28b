using k8s;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Pods;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.Kubernetes.Integration;

/// <summary>Registers the Kubernetes backend as the invoker's <see cref="IActionBackend"/> (Invoker:Backend=kubernetes).</summary>
internal static class KubernetesServiceCollectionExtensions
{
    public static IServiceCollection AddPolyarchKubernetes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<KubernetesBackendOptions>()
            .Bind(configuration.GetSection(KubernetesBackendOptions.Section))
            .PostConfigure<IOptions<InvokerOptions>>((options, invoker) => options.Instance = invoker.Value.InstanceId)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new KubernetesConnectionHolder(KubernetesConnection.Connect(sp.GetRequiredService<IOptions<KubernetesBackendOptions>>().Value)));
        services.AddSingleton(sp => new NodeInventory(sp.GetRequiredService<KubernetesConnectionHolder>().Client, sp.GetRequiredService<ILogger<NodeInventory>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            var holder = sp.GetRequiredService<KubernetesConnectionHolder>();
            return new PodClient(holder.Client, holder.Namespace, sp.GetRequiredService<ILogger<PodClient>>());
        });
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<KubernetesBackendOptions>>().Value;
            return new KubernetesBackend(
                sp.GetRequiredService<NodeInventory>(),
                sp.GetRequiredService<PodClient>(),
                options,
                sp.GetRequiredService<IOptions<InvokerOptions>>().Value,
                PodTemplateLoader.Load(options.PodTemplateFile),
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(KubernetesBackend)),
                sp.GetRequiredService<WarmPool>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<KubernetesBackend>>());
        });
        // Each /init and /run has its own deadline (the action's timeout, up to 5 min): no client-wide 100 s cut-off.
        services.AddHttpClient(nameof(KubernetesBackend), client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<KubernetesActionBackend>();
        services.AddSingleton<IActionBackend>(sp => sp.GetRequiredService<KubernetesActionBackend>());
        return services;
    }

    /// <summary>The API client and namespace, built once.</summary>
    internal sealed class KubernetesConnectionHolder((IKubernetes Client, string Namespace) connection) : IDisposable
    {
        public IKubernetes Client { get; } = connection.Client;

        public string Namespace { get; } = connection.Namespace;

        public void Dispose() => (Client as IDisposable)?.Dispose();
    }
}
