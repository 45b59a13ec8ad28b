using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Cli;

/// <summary>What a build verb prints around a build, in-process or handed off: its first stderr line and its report or error.</summary>
internal static class BuildOutcome
{
    /// <summary>What the CLI says when the user interrupts a build (both modes).</summary>
    public const string CancelledMessage = "Cancelled; buildx was interrupted and no tag was moved.";

    /// <summary>The line a build starts with on stderr (both modes).</summary>
    public static void WriteStarted(TextWriter stderr, BuildRecord build) =>
        stderr.WriteLine($"build {build.Id}: {build.Request.SourceUrl} at {build.Request.Commit[..12]} for {string.Join(", ", build.Request.Platforms)}");

    /// <summary>Writes a finished build's report (or its error) and returns the exit code (both modes).</summary>
    public static int Report(BuildRecord build, bool reused, OutputFormat format, TextWriter stdout, TextWriter stderr)
    {
        if (build.Status == BuildStatus.Succeeded)
        {
            BuildReport.Write(stdout, build, format, reused);
            return 0;
        }

        var error = build.Error ?? new BuildError($"Build {build.Id} ended as {build.Status}.", 1);
        BuildReport.WriteError(stdout, stderr, error.Message, error.ExitCode, format, error, build.Id);
        return error.ExitCode;
    }
}
