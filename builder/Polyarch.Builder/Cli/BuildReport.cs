using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Cli;

/// <summary>Writes a finished build as a platform/digest table or as JSON.</summary>
internal static class BuildReport
{
    public static void Write(TextWriter output, BuildRecord build, OutputFormat format, bool reused)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(output, new { build, reused }, format);
            return;
        }

        output.WriteLine($"build {build.Id}: {build.Status.ToString().ToLowerInvariant()}{(reused ? " (already built; nothing rebuilt)" : "")}");
        output.WriteLine($"commit {build.Request.Commit}{(build.Request.Branch is null ? "" : $" ({build.Request.Branch})")}");
        foreach (var image in build.Images)
        {
            output.WriteLine();
            output.WriteLine($"{image.Registry}/{image.Repository}  index {image.IndexDigest}");
            output.WriteLine($"tags: {string.Join(", ", image.Tags)}");
            output.WriteLine($"{"PLATFORM",-16} {"DIGEST",-71} {"SECONDS",7}");
            foreach (var platform in image.Platforms)
            {
                var timing = build.Timings.FirstOrDefault(t => t.Platform == platform.Platform);
                output.WriteLine($"{platform.Platform,-16} {platform.Digest,-71} {(timing is null ? "-" : (timing.DurationMs / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)),7}");
            }
        }

        foreach (var retry in build.Retries)
        {
            output.WriteLine($"retry: {retry}");
        }

        foreach (var warning in build.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }
    }

    public static void WriteError(TextWriter stdout, TextWriter stderr, string message, int exitCode, OutputFormat format, BuildError? error = null, string? buildId = null)
    {
        stderr.WriteLine($"error: {message}");
        if (error?.LogTail is { Length: > 0 } tail)
        {
            stderr.WriteLine($"--- last lines of {error.Step} ---");
            stderr.WriteLine(tail);
        }

        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(stdout, new { error = new { message, exitCode, buildId, platform = error?.Platform, step = error?.Step, logTail = error?.LogTail } }, format);
        }
    }
}
