using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Manifests;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// The hand-off scenarios through polyarch-builder-manifest (Native AOT, issue 18 P4/P5): the CLI execs it for `build`, it
/// hands the build to the service — or back to the CLI, which builds in-process, when none answers — with the same output.
/// Which process did what is read from the phase timings (POLYARCH_TRACE_TIMING=1), taken out of stderr before comparing.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NativeHandOffTests(RegistryFixture registry, NativeManifestToolBuild native) : HandOffScenarios(registry), IClassFixture<NativeManifestToolBuild>
{
    private IReadOnlyList<string> _timings = [];

    protected override async Task<BuilderProcess.Result> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments)
    {
        var result = await NativeRun.RunAsync(native, stateDirectory, environment, interrupt, arguments);
        _timings = result.Timings;
        return result.Result;
    }

    protected override void AssertHandledBy(bool service) => NativeRun.AssertHandledBy(_timings, service);
}
