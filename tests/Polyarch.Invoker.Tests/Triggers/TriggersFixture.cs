using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>A private registry holding examples/echo for three platforms; containers of the collection are removed at the end.</summary>
public sealed class TriggersFixture : IAsyncLifetime
{
    private readonly RegistryFixture _registry = new();

    public string Registry => _registry.Address;

    /// <summary>registry/demo/echo:test.</summary>
    public string EchoImage { get; private set; } = "";

    public async Task InitializeAsync()
    {
        await _registry.InitializeAsync();
        EchoImage = await TestImages.BuildEchoAsync(Registry);
    }

    public async Task DisposeAsync()
    {
        await Engine.RemoveTestContainersAsync();
        await _registry.DisposeAsync();
    }
}
