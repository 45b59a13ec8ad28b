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
        services.AddSingleton<GitSource>();
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
        services.AddSingleton<BuildStore>();
        services.AddSingleton<BuildQueueSignal>();
        services.AddSingleton<BuildSubmitter>();
        services.AddSingleton<BuildExecutor>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<RepositoryAllowlist>();
        return services;
    }

    public static IServiceCollection AddPolyarchBuilderWorker(this IServiceCollection services) =>
        services.AddHostedService<BuildQueueWorker>();

    public static IEndpointRouteBuilder MapPolyarchBuilder(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Ok(new { status = "ok" })).AllowAnonymous();
        endpoints.MapGet("/readyz", () => Results.Ok(new { status = "ready" })).AllowAnonymous();
        endpoints.MapGitWebhook();
        endpoints.MapBuildsApi();
        return endpoints;
    }
}
