using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Pool;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry;
using Polyarch.Registry.Client;

namespace Polyarch.Invoker.Hosting;

/// <summary>Registers the invoker core and the Docker backend.</summary>
internal static class InvokerServiceCollectionExtensions
{
    public static IServiceCollection AddPolyarchInvoker(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<InvokerOptions>().Bind(configuration.GetSection(InvokerOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DockerBackendOptions>().Bind(configuration.GetSection(DockerBackendOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<WarmPoolOptions>().Bind(configuration.GetSection(WarmPoolOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddInvokerTracing(configuration);

        services.AddOptions<StoreOptions>().Bind(configuration.GetSection(StoreOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ActivationRetentionOptions>().Bind(configuration.GetSection(ActivationRetentionOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        // Store:Provider picks the store: invoker.db under the state directory (one process) or PostgreSQL (replicas).
        services.AddSingleton<StoreDatabase>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<InvokerOptions>>().Value;
            var store = sp.GetRequiredService<IOptions<StoreOptions>>().Value;
            var stateDirectory = StateDirectory.Resolve(options.StateDirectory);
            return store.IsPostgres
                ? new PostgresInvokerDatabase(store.ResolveConnectionString(stateDirectory)) { LeaseDuration = store.LeaseDuration }
                : new InvokerDatabase(Path.Combine(stateDirectory, "invoker.db")) { LeaseDuration = store.LeaseDuration };
        });
        services.AddSingleton<DbActionStore>();
        services.AddSingleton<IActionStore>(sp => new CachingActionStore(
            sp.GetRequiredService<DbActionStore>(), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromSeconds(2)));
        services.AddSingleton<DbActivationStore>();
        services.AddSingleton<AcceptedActivationStore>();
        services.AddSingleton<ActivationPruner>();
        // The recorder is a service of its own so the container owns it, however IActivationStore is decorated
        // (MeteredActivationStore): disposing the services disposes it, and that writes what is still queued.
        services.AddSingleton(sp => new ActivationRecorder(
            sp.GetRequiredService<DbActivationStore>(), sp.GetRequiredService<ILogger<ActivationRecorder>>()));
        services.AddSingleton<IActivationStore>(sp => sp.GetRequiredService<ActivationRecorder>());

        services.AddPolyarchRegistry();
        services.Configure<RegistryOptions>(configuration.GetSection(RegistryOptions.SectionName));
        services.AddSingleton<RegistryVariantCatalog>();
        services.AddSingleton<IVariantCatalog>(sp => new CachingVariantCatalog(
            sp.GetRequiredService<RegistryVariantCatalog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<InvokerOptions>>().Value.TagCacheDuration));

        services.AddSingleton<DockerClientProvider>();
        services.AddSingleton<DockerImagePuller>();
        services.AddSingleton<DockerInventoryProvider>();
        services.AddSingleton<DockerJanitor>();
        services.AddSingleton<ExitedContainerSweeper>();
        services.AddSingleton<ActionHttpClient>();
        services.AddSingleton<WarmPool>();
        services.AddSingleton<DockerHttpRunner>();
        services.AddSingleton<DockerExecRunner>();
        services.AddSingleton<IActionBackend, DockerBackend>();
        services.AddSingleton<ActionInvoker>();
        services.AddOptions<WorkflowOptions>().Bind(configuration.GetSection(WorkflowOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WorkflowStore>();
        services.AddSingleton<StepArtifacts>();
        services.AddSingleton<WorkflowStepExecutor>();
        services.AddSingleton<WorkflowScheduler>();
        services.AddSingleton<WorkflowEngine>();
        services.AddSingleton<IWorkflowStarter>(sp => sp.GetRequiredService<WorkflowEngine>());
        Triggers.TriggersServiceCollectionExtensions.AddPolyarchTriggers(services, configuration);
        if (string.Equals(configuration[$"{InvokerOptions.SectionName}:Backend"], Kubernetes.KubernetesBackend.Name, StringComparison.OrdinalIgnoreCase))
        {
            Kubernetes.Integration.KubernetesServiceCollectionExtensions.AddPolyarchKubernetes(services, configuration);
        }

        return services;
    }
}
