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

    /// <summary>Runs the polyarch-builder.dll at <paramref name="dll"/> (e.g. a copy with the native tool beside it).</summary>
    public static Task<Result> RunDllAsync(string dll, string stateDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        RunDllAsync(dll, stateDirectory, environment, CancellationToken.None, arguments);

    /// <summary>The same; <paramref name="interrupt"/> sends the process SIGINT (Ctrl+C) when cancelled, and the run still completes.</summary>
    public static async Task<Result> RunDllAsync(string dll, string stateDirectory, IReadOnlyDictionary<string, string>? environment, CancellationToken interrupt, params string[] arguments)
    {
        var result = await CliWrap.Cli.Wrap("dotnet")
            .WithArguments([dll, .. arguments])
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_STATE_DIR", stateDirectory).Set("POLYARCH_Builder__StateDirectory", stateDirectory);
                foreach (var (key, value) in environment ?? new Dictionary<string, string>())
                {
                    env.Set(key, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(System.Text.Encoding.UTF8, System.Text.Encoding.UTF8, CancellationToken.None, interrupt);
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    public static Task<Result> RunAsync(string stateDirectory, params string[] arguments) => RunAsync(stateDirectory, null, arguments);
}
