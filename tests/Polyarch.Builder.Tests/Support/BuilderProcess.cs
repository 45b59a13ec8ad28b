using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Builder.Tests.Support;

/// <summary>Runs the real polyarch-builder executable (the build output next to the tests) as a person would, over a private state directory.</summary>
public static class BuilderProcess
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "polyarch-builder.dll");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public IReadOnlyList<string> StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public static Task<Result> RunAsync(string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunDllAsync(Dll, stateDirectory, environment, arguments);

    /// <summary>
    /// Runs the polyarch-builder.dll at <paramref name="dll"/> (e.g. a copy with the native tool beside it) with dotnet, or
    /// any other path as an executable (e.g. the installed front door, <see cref="Manifests.NativeManifestToolBuild.FrontDoor"/>).
    /// </summary>
    public static Task<Result> RunDllAsync(string dll, string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunDllAsync(dll, stateDirectory, environment, CancellationToken.None, arguments);

    /// <summary>The same; <paramref name="interrupt"/> sends the process SIGINT (Ctrl+C) when cancelled, and the run still completes.</summary>
    public static async Task<Result> RunDllAsync(string dll, string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments)
    {
        var command = (dll.EndsWith(".dll", StringComparison.Ordinal)
                ? CliWrap.Cli.Wrap("dotnet").WithArguments([dll, .. arguments])
                : CliWrap.Cli.Wrap(dll).WithArguments(arguments))
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_STATE_DIR", stateDirectory).Set("POLYARCH_Builder__StateDirectory", stateDirectory)
                    .Set("POLYARCH_Builder__CacheDirectory", System.IO.Path.Combine(stateDirectory, "cache"));
                foreach (var (key, value) in environment ?? new Dictionary<string, string>())
                {
                    env.Set(key, value);
                }
            })
            .WithValidation(CommandResultValidation.None);
        if (!interrupt.CanBeCanceled)
        {
            var result = await command.ExecuteBufferedAsync();
            return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
        }

        // SIGINT as a terminal's Ctrl+C sends it, and the process's own answer (CliWrap's graceful cancellation would throw instead).
        var stdout = new System.Text.StringBuilder();
        var stderr = new System.Text.StringBuilder();
        var run = command.WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout)).WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr)).ExecuteAsync();
        await using var registration = interrupt.Register(() => _ = CliWrap.Cli.Wrap("kill")
            .WithArguments(["-INT", run.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            .WithValidation(CommandResultValidation.None).ExecuteAsync());
        var finished = await run;
        return new Result(finished.ExitCode, stdout.ToString(), stderr.ToString());
    }

    public static Task<Result> RunAsync(string stateDirectory, params string[] arguments) => RunAsync(stateDirectory, null, arguments);
}
