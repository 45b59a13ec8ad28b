using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// What a webhook test sets up around an in-process invoker (<see cref="TriggerServer"/>, with the webhook token and the
/// fixture's registry): a state directory and an instance id of its own, tags of the fixture's echo index for the
/// recorded notification bursts to name, and the clean-up (the instance's containers by label, the store, the directory).
/// </summary>
internal sealed class TriggerTestHost(TriggersFixture fixture, string name)
{
    private static int _counter;

    /// <summary>The state directory every <see cref="StartAsync"/> shares (a restart finds the same store).</summary>
    public string State { get; } = Directory.CreateTempSubdirectory($"invoker-{name}-").FullName;

    /// <summary>The invoker instance id; its containers carry it and are removed by it.</summary>
    public string Instance { get; } = $"t{TestRun.Id}-{name}{Interlocked.Increment(ref _counter)}";

    /// <summary>Starts (or restarts) `serve` on <see cref="State"/>.</summary>
    public Task<TriggerServer> StartAsync(bool processPushes = true, Action<IServiceCollection>? services = null) =>
        TriggerServer.StartAsync(State, Instance, fixture.Registry, processPushes, services: services);

    /// <summary>Points <paramref name="tag"/> of the echo repository at the fixture's echo index (a push as the registry sees it); returns the index digest.</summary>
    public async Task<string> TagEchoAsync(string tag)
    {
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            return (await client.PutManifestAsync(source.WithTag(tag), manifest.Content, manifest.MediaType)).ToString();
        }
    }

    /// <summary>Removes the instance's containers, the store's pools and the state directory (the test's DisposeAsync).</summary>
    public async Task CleanUpAsync()
    {
        var janitor = new DockerJanitor(
            new DockerClientProvider(Microsoft.Extensions.Options.Options.Create(new DockerBackendOptions())),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DockerJanitor>.Instance);
        await janitor.RemoveInstanceLeftoversAsync(Instance, CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(State, recursive: true);
    }
}
