namespace Polyarch.Builder.Cli;

/// <summary>
/// polyarch-builder-manifest, the one-shot verbs compiled ahead of time: `manifest …` (issue 18, P14) and the hand-off of
/// `build` to a running `serve` (P4/P5). polyarch-builder execs it when it lies next to it, so those verbs start in
/// milliseconds instead of paying JIT and the whole CLI's set-up; execv keeps the process — its id, stdin/stdout/stderr,
/// environment and exit code — so callers see no difference. Without the binary (a plain build, a platform with no AOT
/// compiler) the verbs run in-process. When no service answers a `build`, the native tool hands it back the same way:
/// it execs polyarch-builder with <see cref="BuildSwitchVariable"/> set, and that one builds in-process.
/// </summary>
internal static class NativeManifestTool
{
    /// <summary>The AOT binary's file name, next to polyarch-builder.</summary>
    public const string FileName = "polyarch-builder-manifest";

    /// <summary>The managed CLI's file name (its apphost), next to the AOT binary.</summary>
    public const string CliFileName = "polyarch-builder";

    /// <summary>Set to 0 to run the manifest verbs in-process even when the binary is there.</summary>
    public const string SwitchVariable = "POLYARCH_BUILDER_NATIVE_MANIFEST";

    /// <summary>Set to 0 to run `build` (its hand-off included) in the managed CLI even when the binary is there.</summary>
    public const string BuildSwitchVariable = "POLYARCH_BUILDER_NATIVE_BUILD";

    /// <summary>
    /// <see cref="BuildSwitchVariable"/>'s value when the native tool hands a build back because no service answered: the
    /// managed CLI builds in-process without asking again (a slow probe is not paid twice) and resets the variable to 0.
    /// </summary>
    public const string NoServiceValue = "no-service";

    /// <summary>Execs the native tool for a manifest verb or `build`; returns only when it did not (another verb, no binary, switched off, exec failed).</summary>
    public static void ExecIfPresent(string[] args, string directory)
    {
        var variable = args switch
        {
            ["manifest", ..] => SwitchVariable,
            ["build", ..] => BuildSwitchVariable,
            _ => null,
        };
        if (variable is null || OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(variable) is "0" or NoServiceValue)
        {
            return;
        }

        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        // argv[0] is polyarch-builder's own name, so help and messages name the command the user typed.
        ProcessExec.Exec(path, [Environment.GetCommandLineArgs()[0], .. args]);
        // Only a failed exec returns (e.g. the binary is not executable): the verbs still work in-process.
    }

    /// <summary>
    /// The managed CLI's side of a hand-back: true when the native tool found no service (build in-process without asking
    /// again). The variable becomes 0 either way, so nothing this process starts goes native again.
    /// </summary>
    public static bool TakeNoServiceMarker()
    {
        if (Environment.GetEnvironmentVariable(BuildSwitchVariable) != NoServiceValue)
        {
            return false;
        }

        Environment.SetEnvironmentVariable(BuildSwitchVariable, "0");
        return true;
    }

    /// <summary>
    /// The native tool's side: execs polyarch-builder (its apphost next to this binary, else <c>dotnet polyarch-builder.dll</c>)
    /// with the same arguments and <see cref="BuildSwitchVariable"/> set, so it runs `build` itself. Returns only when that
    /// failed, with the message to print.
    /// </summary>
    public static string HandBack(string[] args, string directory, bool noService)
    {
        // The switch goes into the new process's environment: without it polyarch-builder would exec this tool again, forever.
        var environment = ProcessExec.EnvironmentWith(BuildSwitchVariable, noService ? NoServiceValue : "0");
        var argv0 = Environment.GetCommandLineArgs() is [var first, ..] ? first : CliFileName;
        var apphost = Path.Combine(directory, CliFileName);
        if (File.Exists(apphost))
        {
            ProcessExec.Exec(apphost, [argv0, .. args], environment);
        }

        var dll = Path.Combine(directory, CliFileName + ".dll");
        if (File.Exists(dll))
        {
            ProcessExec.ExecSearchingPath("dotnet", ["dotnet", dll, .. args], environment);
        }

        return $"{FileName} cannot hand this build to {CliFileName} (neither {apphost} nor {dll} can be executed: errno {ProcessExec.LastError}). " +
            $"Reinstall both side by side (scripts/services.sh up), or delete {Path.Combine(directory, FileName)} to run every verb in {CliFileName}.";
    }
}
