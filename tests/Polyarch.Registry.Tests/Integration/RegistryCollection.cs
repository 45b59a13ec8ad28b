using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>Integration tests that share one private registry (scripts/registry.sh on a free 127.0.0.1 port).</summary>
[CollectionDefinition(Name)]
public sealed class RegistryCollection : ICollectionFixture<RegistryFixture>, ICollectionFixture<ImageCleanupFixture>
{
    public const string Name = "real registry";
}
