using System.Collections;
using System.Runtime.InteropServices;

namespace Polyarch.Builder.Cli;

/// <summary>
/// Replaces this process with another program (libc's exec family): the process keeps its id, standard streams and exit
/// code, so callers see no difference. Used by the CLI's hand-offs (the native tool and back) and by <c>serve</c>'s
/// re-exec without tiered compilation. Every method returns only when the exec failed; <see cref="LastError"/> says why.
/// </summary>
internal static partial class ProcessExec
{
    /// <summary>
    /// Execs <paramref name="path"/> with <paramref name="argv"/> (argv[0] first) and <paramref name="environment"/> (see
    /// <see cref="EnvironmentWith"/>), or this process's environment when it is null.
    /// </summary>
    public static void Exec(string path, IEnumerable<string> argv, string?[]? environment = null) =>
        _ = environment is null ? Execv(path, [.. argv, null]) : Execve(path, [.. argv, null], environment);

    /// <summary>As <see cref="Exec"/>, with <paramref name="file"/> looked up on PATH (execvp, glibc's execvpe).</summary>
    public static void ExecSearchingPath(string file, IEnumerable<string> argv, string?[]? environment = null) =>
        _ = environment is null ? Execvp(file, [.. argv, null]) : Execvpe(file, [.. argv, null], environment);

    /// <summary>
    /// This process's environment with <paramref name="name"/> set to <paramref name="value"/>, as exec's envp (null-terminated).
    /// .NET keeps its own copy of the environment on Unix — <see cref="Environment.SetEnvironmentVariable(string, string)"/>
    /// does not reach the C environ an exec without one passes on — so a variable meant for
    /// the next program goes into an explicit environment.
    /// </summary>
    public static string?[] EnvironmentWith(string name, string value)
    {
        var environment = Environment.GetEnvironmentVariables();
        environment[name] = value;
        return [.. environment.Cast<DictionaryEntry>().Select(e => $"{e.Key}={e.Value}"), null];
    }

    /// <summary>The errno of the last failed exec on this thread.</summary>
    public static int LastError => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "execv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execv(string path, string?[] argv);

    [LibraryImport("libc", EntryPoint = "execve", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execve(string path, string?[] argv, string?[] envp);

    [LibraryImport("libc", EntryPoint = "execvp", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execvp(string file, string?[] argv);

    // glibc's execvpe: PATH lookup with an explicit environment.
    [LibraryImport("libc", EntryPoint = "execvpe", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Execvpe(string file, string?[] argv, string?[] envp);
}
