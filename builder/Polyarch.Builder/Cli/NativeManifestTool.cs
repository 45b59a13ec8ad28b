using System.Runtime.InteropServices;

namespace Polyarch.Builder.Cli;

/// <summary>
/// `polyarch-builder manifest …` replaced by polyarch-builder-manifest, the same verbs compiled ahead of time, when that
/// binary lies next to this one (issue 18, P14): a one-shot inspect then starts in milliseconds instead of paying JIT and
/// the whole CLI's set-up. execv keeps the process — its id, stdin/stdout/stderr, environment and exit code — so callers see
/// no difference. Without the binary (a plain build, a platform with no AOT compiler) the verbs run in-process.
/// </summary>
internal static partial class NativeManifestTool
{
    /// <summary>The AOT binary's file name, next to polyarch-builder.</summary>
    public const string FileName = "polyarch-builder-manifest";

    /// <summary>Set to 0 to run the manifest verbs in-process even when the binary is there.</summary>
    public const string SwitchVariable = "POLYARCH_BUILDER_NATIVE_MANIFEST";

    /// <summary>Execs the native tool for a manifest verb; returns only when it did not (another verb, no binary, switched off, exec failed).</summary>
    public static void ExecIfPresent(string[] args, string directory)
    {
        if (args is not ["manifest", ..] || OperatingSystem.IsWindows() || Environment.GetEnvironmentVariable(SwitchVariable) == "0")
        {
            return;
        }

        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return;
        }

        // argv[0] is polyarch-builder's own name, so help and messages name the command the user typed.
        string?[] argv = [Environment.GetCommandLineArgs()[0], .. args, null];
        _ = Execv(path, argv);
        // Only a failed exec returns (e.g. the binary is not executable): the verbs still work in-process.
    }

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execv(string path, string?[] argv);
}
