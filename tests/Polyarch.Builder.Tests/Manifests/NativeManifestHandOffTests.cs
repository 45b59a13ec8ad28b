using CliWrap;
using CliWrap.Buffered;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Manifests;

/// <summary>
/// polyarch-builder execs polyarch-builder-manifest (the manifest verbs compiled ahead of time, issue 18 P14) when that
/// binary lies next to it: the real CLI, copied with a stand-in for the native tool that reports what it was given.
/// </summary>
public sealed class NativeManifestHandOffTests : IDisposable
{
    private const string Reference = "127.0.0.1:5000/demo/echo:latest";
    private readonly TempDirectory _app = new("polyarch-native-handoff-");

    public NativeManifestHandOffTests()
    {
        // The CLI as built (every file its deps.json names), hard-linked where the file system allows.
        var copy = CliWrap.Cli.Wrap("cp").WithArguments(["-al", $"{AppContext.BaseDirectory}.", _app.Path]).WithValidation(CommandResultValidation.None)
            .ExecuteAsync().GetAwaiter().GetResult();
        if (!copy.IsSuccess)
        {
            CliWrap.Cli.Wrap("cp").WithArguments(["-a", $"{AppContext.BaseDirectory}.", _app.Path]).ExecuteAsync().GetAwaiter().GetResult();
        }
    }

    private string ArgsFile => _app.Combine("native-args.txt");

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_manifest_verb_becomes_the_native_tool_in_the_same_process_with_its_arguments_output_and_exit_code()
    {
        WriteStandIn(executable: true);

        var result = await RunAsync(null, "manifest", "inspect", Reference, "--output", "json");

        result.ExitCode.ShouldBe(7, result.StandardError);
        result.StandardOutput.ShouldContain($"native pid={result.ProcessId}", customMessage: "execv keeps the process: the tool runs as the CLI's own pid");
        result.StandardError.ShouldContain("native stderr");
        (await File.ReadAllLinesAsync(ArgsFile)).ShouldBe(["manifest", "inspect", Reference, "--output", "json"]);
    }

    [Fact]
    public async Task Other_verbs_never_reach_the_native_tool()
    {
        WriteStandIn(executable: true);

        var result = await RunAsync(null, "--version");

        result.ExitCode.ShouldBe(0, result.StandardError);
        File.Exists(ArgsFile).ShouldBeFalse();
    }

    [Fact]
    public async Task With_the_switch_at_0_the_manifest_verbs_run_in_process()
    {
        WriteStandIn(executable: true);

        var result = await RunAsync(new Dictionary<string, string> { [NativeManifestTool.SwitchVariable] = "0" }, "manifest", "inspect", "not a reference");

        result.ExitCode.ShouldBe(2, result.StandardError);
        result.StandardError.ShouldContain("'not a reference' is not a valid image reference");
        File.Exists(ArgsFile).ShouldBeFalse();
    }

    [Fact]
    public async Task A_native_tool_that_cannot_be_executed_leaves_the_manifest_verbs_in_process()
    {
        WriteStandIn(executable: false);

        var result = await RunAsync(null, "manifest", "inspect", "not a reference");

        result.ExitCode.ShouldBe(2, result.StandardError);
        result.StandardError.ShouldContain("'not a reference' is not a valid image reference");
        File.Exists(ArgsFile).ShouldBeFalse();
    }

    private void WriteStandIn(bool executable)
    {
        var path = _app.Combine(NativeManifestTool.FileName);
        File.WriteAllText(path, """
            #!/bin/sh
            printf '%s\n' "$@" > "$POLYARCH_TEST_NATIVE_ARGS"
            echo "native pid=$$"
            echo "native stderr" >&2
            exit 7

            """);
        File.SetUnixFileMode(path, executable
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            : UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private async Task<Result> RunAsync(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        using var state = new TempDirectory();
        var run = CliWrap.Cli.Wrap("dotnet")
            .WithArguments([_app.Combine("polyarch-builder.dll"), .. arguments])
            .WithEnvironmentVariables(env =>
            {
                env.Set("POLYARCH_STATE_DIR", state.Path).Set("POLYARCH_TEST_NATIVE_ARGS", ArgsFile);
                foreach (var (key, value) in environment ?? new Dictionary<string, string>())
                {
                    env.Set(key, value);
                }
            })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var result = await run;
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError, run.ProcessId);
    }

    private sealed record Result(int ExitCode, string StandardOutput, string StandardError, int ProcessId);
}
