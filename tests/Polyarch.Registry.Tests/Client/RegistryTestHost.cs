using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;

namespace Polyarch.Registry.Tests.Client;

/// <summary>The library as a host wires it (AddPolyarchRegistry), with a fake registry behind every HttpClient.</summary>
internal sealed class RegistryTestHost : IDisposable
{
    private readonly ServiceProvider _services;

    public RegistryTestHost(FakeRegistryHandler? handler = null, Action<RegistryOptions>? configure = null, TimeProvider? timeProvider = null, RegistryHttpPipeline pipeline = RegistryHttpPipeline.Standard)
    {
        Handler = handler ?? new FakeRegistryHandler();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddPolyarchRegistry(options =>
        {
            options.UseDockerConfig = false;
            options.RetryBaseDelay = TimeSpan.Zero;
            configure?.Invoke(options);
        }, pipeline);
        foreach (var name in new[] { RegistryHttpClients.Manifests, RegistryHttpClients.Blobs, RegistryHttpClients.Auth })
        {
            services.AddHttpClient(name).ConfigurePrimaryHttpMessageHandler(() => Handler);
        }

        _services = services.BuildServiceProvider(validateScopes: true);
    }

    public FakeRegistryHandler Handler { get; }

    public IRegistryClient Client => _services.GetRequiredService<IRegistryClient>();

    public IImageResolver Resolver => _services.GetRequiredService<IImageResolver>();

    public Polyarch.Registry.Artifacts.IArtifactStore Artifacts => _services.GetRequiredService<Polyarch.Registry.Artifacts.IArtifactStore>();

    public FakeLogCollector Logs => _services.GetFakeLogCollector();

    public void Dispose() => _services.Dispose();
}
