namespace Polyarch.Invoker.Tests.Support;

/// <summary>Integration tests share one registry and run one at a time (2 cores, one engine).</summary>
[CollectionDefinition(Name)]
public sealed class InvokerEngineCollection : ICollectionFixture<InvokerEngineFixture>
{
    public const string Name = "Invoker on the real engine";
}
