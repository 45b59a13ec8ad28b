namespace Polyarch.Dashboard.Tests;

/// <summary>One builder + invoker pair (and their builds) for every dashboard test.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
