using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

/// <summary>Integration tests that build with the real buildx into one private registry.</summary>
[CollectionDefinition(Name)]
public sealed class BuildCollection : ICollectionFixture<RegistryFixture>
{
    public const string Name = "real builds";
}
