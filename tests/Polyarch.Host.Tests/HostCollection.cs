using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>Tests that share one private registry and the container-host check.</summary>
[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "container host";
}
