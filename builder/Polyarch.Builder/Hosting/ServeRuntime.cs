using System.Text;
using Polyarch.Builder.Cli;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// <c>serve</c> runs with tiered compilation off. Measured on this 2-core host (issue 18, P4/P5): with it on, the runtime's
/// background tier-up recompiled the build path's hot methods during each of the first builds — 0.7–1.3 s of CPU per build
/// in the service, competing with BuildKit, so the bake inside the service took 1.5–1.9 s against 1.2–1.4 s on its own;
/// with it off, 0.07–0.09 s per build and the bake as fast as alone. A one-shot CLI keeps tiering (its start-up JIT is
/// quicker at tier 0: 0.20 s against 0.29 s per hand-off), so the choice cannot live in the shared runtimeconfig:
/// the service re-executes itself once, at the very start, with <c>DOTNET_TieredCompilation=0</c>. execve keeps the
/// process id, its arguments, standard streams and the rest of the environment. A value the user set is left alone.
/// </summary>
internal static class ServeRuntime
{
    /// <summary>The runtime's switch (a DOTNET_ environment variable, read before any managed code runs).</summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>Re-executes this process for <c>serve</c>; returns only when it did not (another verb, already set, not Linux, exec failed).</summary>
    public static void ExecWithoutTieringIfServe(string[] args)
    {
        if (args is not ["serve", ..] || !OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(TieredCompilationVariable) is not null)
        {
            return;
        }

        // The exact command line this process was started with (dotnet polyarch-builder.dll … or the apphost), from the kernel.
        string[] argv;
        try
        {
            argv = [.. File.ReadAllText("/proc/self/cmdline", Encoding.UTF8).TrimEnd('\0').Split('\0')];
        }
        catch (IOException)
        {
            return;
        }

        // The same process again, with the switch in its environment.
        ProcessExec.Exec("/proc/self/exe", argv, ProcessExec.EnvironmentWith(TieredCompilationVariable, "0"));
        // Only a failed exec returns: the service runs with tiering, as before.
    }
}
