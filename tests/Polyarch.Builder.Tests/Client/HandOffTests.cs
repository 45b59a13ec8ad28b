using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>The hand-off scenarios in the managed CLI (no native tool next to it).</summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HandOffTests(RegistryFixture registry) : HandOffScenarios(registry)
{
    protected override Task<BuilderProcess.Result> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments) =>
        BuilderProcess.RunDllAsync(BuilderProcess.Dll, stateDirectory, environment, interrupt, arguments);

    protected override void AssertHandledBy(bool service)
    {
        // One process, no native tool: nothing to tell apart.
    }
}
