using Polyarch.Builder.Tests.Manifests;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// Runs polyarch-builder with polyarch-builder-manifest beside it and phase timings on; returns the run with the timing lines
/// taken out of stderr (so it compares with a managed run) and those lines apart (they tell which process did what).
/// </summary>
internal static class NativeRun
{
    public const string NativeStarted = "native tool started";
    public const string ManagedStarted = "runtime started, Main entered";
    public const string HandedBack = "handed back by the native tool";

    public static async Task<(BuilderProcess.Result Result, IReadOnlyList<string> Timings)> RunAsync(
        NativeManifestToolBuild native, string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        await RunAsync(native, stateDirectory, environment, CancellationToken.None, arguments);

    public static async Task<(BuilderProcess.Result Result, IReadOnlyList<string> Timings)> RunAsync(
        NativeManifestToolBuild native, string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments) =>
        await RunAsync(native.CliDll, stateDirectory, environment, interrupt, arguments);

    /// <summary>The same through <paramref name="program"/>: a polyarch-builder.dll, or the installed front door (<see cref="NativeManifestToolBuild.FrontDoor"/>).</summary>
    public static async Task<(BuilderProcess.Result Result, IReadOnlyList<string> Timings)> RunAsync(
        string program, string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments)
    {
        var withTimings = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { ["POLYARCH_TRACE_TIMING"] = "1" };
        var raw = await BuilderProcess.RunDllAsync(program, stateDirectory, withTimings, interrupt, arguments);
        var lines = raw.Stderr.Split('\n');
        var timings = lines.Where(IsTiming).ToList();
        var stderr = string.Join('\n', lines.Where(line => !IsTiming(line)));
        return (raw with { Stderr = stderr }, timings);
    }

    /// <summary>service: the native tool ran and the managed CLI never reached its Main; else the native tool handed the build back.</summary>
    public static void AssertHandledBy(IReadOnlyList<string> timings, bool service)
    {
        var text = string.Join('\n', timings);
        timings.ShouldContain(line => line.EndsWith(NativeStarted, StringComparison.Ordinal), $"the native tool never ran:\n{text}");
        if (service)
        {
            timings.ShouldNotContain(line => line.EndsWith(ManagedStarted, StringComparison.Ordinal), $"the managed CLI ran after the native tool:\n{text}");
        }
        else
        {
            timings.ShouldContain(line => line.Contains(HandedBack, StringComparison.Ordinal), $"the native tool did not hand the build back:\n{text}");
        }
    }

    private static bool IsTiming(string line) => line.StartsWith("timing: ", StringComparison.Ordinal);
}
