using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>The library wired as a host wires it, against the real registry.</summary>
internal sealed class RegistryServices : IDisposable
{
    private readonly ServiceProvider _provider;

    public RegistryServices(TimeProvider? timeProvider = null)
    {
        var services = new ServiceCollection().AddLogging();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddPolyarchRegistry(o => o.UseDockerConfig = false);
        _provider = services.BuildServiceProvider();
    }

    public IRegistryClient Client => _provider.GetRequiredService<IRegistryClient>();

    public IImageResolver Resolver => _provider.GetRequiredService<IImageResolver>();

    public IIndexAssembler Assembler => _provider.GetRequiredService<IIndexAssembler>();

    public IArtifactStore Artifacts => _provider.GetRequiredService<IArtifactStore>();

    public void Dispose() => _provider.Dispose();
}
