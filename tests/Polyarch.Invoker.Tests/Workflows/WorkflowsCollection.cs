namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>Workflow engine tests share one registry and its step images, and run one at a time (one engine).</summary>
[CollectionDefinition(Name)]
public sealed class WorkflowsCollection : ICollectionFixture<WorkflowsFixture>
{
    public const string Name = "Workflows on the real engine and registry";
}
