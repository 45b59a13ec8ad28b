using Microsoft.Extensions.DependencyInjection.Extensions;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Definition;
using Polyarch.Builder.Git;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Builder.Webhooks;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Builder.Telemetry;

namespace Polyarch.Builder.Hosting;

/// <summary>Registers the builder's services and endpoints.</summary>
internal static class BuilderServiceCollectionExtensions
{
    public static IServiceCollection AddPolyarchBuilder(this IServiceCollection services, IConfiguration configuration, RegistryHttpPipeline registryPipeline = RegistryHttpPipeline.Standard)
    {
        services.AddOptions<BuilderOptions>()
            .Bind(configuration.GetSection(BuilderOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(TimeProvider.System);
        services.AddBuilderTracing(configuration);
        services.AddSingleton<GitSource>();
        services.AddSingleton<CheckoutDirectories>();
        services.AddSingleton<DockerCli>();
        services.AddSingleton<BuilderPlatforms>();
        services.AddSingleton<BuildDefinitionResolver>();
        services.AddSingleton<BakeRunner>();
        services.AddSingleton<OrphanedBakes>();
        var builderOptions = configuration.GetSection(BuilderOptions.SectionName).Get<BuilderOptions>() ?? new BuilderOptions();
        services.AddPolyarchRegistry(registry =>
        {
            configuration.GetSection(RegistryOptions.SectionName).Bind(registry);
            registry.InsecureHosts.AddRange(builderOptions.InsecureRegistries.Except(registry.InsecureHosts, StringComparer.OrdinalIgnoreCase));
        }, registryPipeline);
        services.AddSingleton<IImagePublisher, RegistryImagePublisher>();
        services.AddSingleton<StagingTags>();
        services.AddOptions<StoreOptions>()
            .Bind(configuration.GetSection(StoreOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(
                store => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(store.Retention, new(store.Retention), null, validateAllProperties: true),
                "Store:Retention is out of range: MaxAge 00:01:00 to 3650 days, MaxCount at least 1, Interval 00:00:01 to 1 day.")
            .ValidateOnStart();
        var storeOptions = configuration.GetSection(StoreOptions.SectionName).Get<StoreOptions>() ?? new StoreOptions();
        if (storeOptions.IsPostgres)
        {
            services.AddSingleton<BuildDatabase, PostgresBuildDatabase>();
        }
        else
        {
            services.AddSingleton<BuildDatabase, SqliteBuildDatabase>();
        }

        services.AddSingleton<IBuildStore, BuildStore>();

        services.AddSingleton<BuildQueueSignal>();
        services.AddSingleton<BuildSubmitter>();
        services.AddSingleton<BuildExecutor>();
        services.AddSingleton<BuildRequestFactory>();
        services.AddSingleton<BuildCancellations>();
        services.AddSingleton<BuildProgressHub>();
        services.AddSingleton<ServiceInstance>();
        services.TryAddSingleton<Fitness.BuildMetrics>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<RepositoryAllowlist>();
        return services;
    }

    public static IServiceCollection AddPolyarchBuilderWorker(this IServiceCollection services)
    {
        services.AddSingleton<BuildLogPruner>();
        services.AddHostedService(provider => provider.GetRequiredService<BuildLogPruner>());
        return services.AddHostedService<BuildQueueWorker>();
    }

    public static IEndpointRouteBuilder MapPolyarchBuilder(this IEndpointRouteBuilder endpoints)
    {
        // The instance id lets a CLI tell the service its state directory names (serve.json) from another process on that port.
        endpoints.MapGet("/healthz", (ServiceInstance instance) => Results.Ok(new { status = "ok", instance = instance.Id })).AllowAnonymous();
        endpoints.MapGitWebhook();
        endpoints.MapBuildsApi();
        return endpoints;
    }
}
