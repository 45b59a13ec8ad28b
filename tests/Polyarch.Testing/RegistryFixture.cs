namespace Polyarch.Testing;

/// <summary>
/// xunit collection fixture: checks the container host, then starts a private registry for the collection.
/// Declare a collection in the test project with <c>ICollectionFixture&lt;RegistryFixture&gt;</c>.
/// </summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    private RegistryInstance? _registry;

    /// <summary>The collection's registry.</summary>
    public RegistryInstance Registry =>
        _registry ?? throw new InvalidOperationException("The registry fixture has not been initialised.");

    /// <summary>host:port of the collection's registry.</summary>
    public string Address => Registry.Address;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        _registry = await RegistryInstance.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Engine.RemoveTestContainersAsync();
        if (_registry is not null)
        {
            await Engine.RemoveImagesFromAsync(_registry.Address);
            await _registry.DisposeAsync();
        }
    }
}
