using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>Tests against the private registries of scripts/private-registry.sh (TLS + auth, and plain HTTP, at 198.18.0.2).</summary>
[CollectionDefinition(Name)]
public sealed class PrivateRegistryCollection : ICollectionFixture<PrivateRegistryFixture>
{
    public const string Name = "private registry";
}
