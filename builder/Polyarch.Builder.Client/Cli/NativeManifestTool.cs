namespace Polyarch.Builder.Cli;

/// <summary>
/// polyarch-builder-manifest, the one-shot verbs compiled ahead of time: `manifest …` (issue 18, P14) and the hand-off of
/// `build` to a running `serve` (P4/P5). polyarch-builder execs it when it lies next to it, so those verbs start in
/// milliseconds instead of paying JIT and the whole CLI's set-up; execv keeps the process — its id, stdin/stdout/stderr,
/// environment and exit code — so callers see no difference. Without the binary (a plain build, a platform with no AOT
/// compiler) the verbs run in-process. When no service answers a `build`, the native tool hands it back the same way:
/// it execs polyarch-builder with <see cref="BuildSwitchVariable"/> set, and that one builds in-process.
/// </summary>
/// <remarks>
/// Installed by scripts/services.sh, the native tool is also the front door: <c>polyarch-builder</c> is a link to it and the
/// managed CLI's apphost is <see cref="ManagedFileName"/> (scripts/lib/common.sh <c>arrange_front_door</c>), so a one-shot
/// `build` or `manifest …` never starts the .NET runtime (≈ 40 ms of a hand-off's 50, measured) and every other verb is
/// exec'd on to the managed CLI (<see cref="ExecManagedUnlessNative"/>) at the cost of one exec.
/// </remarks>
internal static class NativeManifestTool
{
    /// <summary>The AOT binary's file name, next to polyarch-builder.</summary>
    public const string FileName = "polyarch-builder-manifest";

    /// <summary>The command's name: the managed CLI's apphost as built, or the front door (a link to the AOT binary) as installed.</summary>
    public const string CliFileName = "polyarch-builder";

    /// <summary>The managed CLI's apphost where the AOT binary is the front door (renamed at install, next to both).</summary>
    public const string ManagedFileName = "polyarch-builder-managed";

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
        if (OperatingSystem.IsWindows() || !RunsNatively(args))
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
    /// Whether <paramref name="args"/> are the native tool's to run: a manifest verb or `build`, not switched off
    /// (<see cref="SwitchVariable"/>, <see cref="BuildSwitchVariable"/> = 0) nor handed back (<see cref="NoServiceValue"/>).
    /// </summary>
    public static bool RunsNatively(string[] args)
    {
        var variable = args switch
        {
            ["manifest", ..] => SwitchVariable,
            ["build", ..] => BuildSwitchVariable,
            _ => null,
        };
        return variable is not null && Environment.GetEnvironmentVariable(variable) is not ("0" or NoServiceValue);
    }

    /// <summary>
    /// The front door's side: any other verb (or one switched off) is the managed CLI's, exec'd with the same arguments and
    /// environment. Returns null when the native tool runs <paramref name="args"/> itself; otherwise returns only when the
    /// exec failed, with the message to print.
    /// </summary>
    public static string? ExecManagedUnlessNative(string[] args, string directory) =>
        RunsNatively(args) ? null : ExecManaged(args, directory, environment: null);

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
    public static string HandBack(string[] args, string directory, bool noService) =>
        // The switch goes into the new process's environment: without it polyarch-builder would exec this tool again, forever.
        ExecManaged(args, directory, ProcessExec.EnvironmentWith(BuildSwitchVariable, noService ? NoServiceValue : "0"));

    /// <summary>
    /// Execs the managed CLI next to this binary: its apphost (<see cref="ManagedFileName"/> where this binary is the front
    /// door, else <see cref="CliFileName"/> unless that is this binary), else <c>dotnet polyarch-builder.dll</c>. argv[0]
    /// stays the name the user typed. Returns only when no exec succeeded, with the message to print.
    /// </summary>
    private static string ExecManaged(string[] args, string directory, string?[]? environment)
    {
        var argv0 = Environment.GetCommandLineArgs() is [var first, ..] ? first : CliFileName;
        var self = RealPath(Environment.ProcessPath);
        string[] apphosts = [Path.Combine(directory, ManagedFileName), Path.Combine(directory, CliFileName)];
        foreach (var apphost in apphosts.Where(path => File.Exists(path) && RealPath(path) != self))
        {
            ProcessExec.Exec(apphost, [argv0, .. args], environment);
        }

        var dll = Path.Combine(directory, CliFileName + ".dll");
        if (File.Exists(dll))
        {
            ProcessExec.ExecSearchingPath("dotnet", ["dotnet", dll, .. args], environment);
        }

        return $"{FileName} cannot hand this command to the managed {CliFileName} (none of {string.Join(", ", apphosts)}, {dll} can be executed: errno {ProcessExec.LastError}). " +
            // Never "delete this tool": installed, polyarch-builder is a link to it, and the managed CLI it needs is what is missing.
            "Reinstall the two side by side: scripts/services.sh up publishes both.";
    }

    // The file a path names after every symbolic link (the front door is a link to this binary).
    private static string? RealPath(string? path)
    {
        if (path is null)
        {
            return null;
        }

        try
        {
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }
}
