namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>Trigger tests share one registry and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class TriggersCollection : ICollectionFixture<TriggersFixture>
{
    public const string Name = "Triggers on the real engine";
}
