using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Cli;

/// <summary>Writes a finished build as a platform/digest table or as JSON/YAML, and errors as one stderr line (and a JSON/YAML object); both build modes and the builds verbs.</summary>
internal static class BuildReport
{
    public static void Write(TextWriter output, BuildRecord build, OutputFormat format, bool reused)
    {
        if (format != OutputFormat.Table)
        {
            Write(output, new BuildReportDocument(build, reused), BuildJsonContext.Default.BuildReportDocument, format);
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
            Write(stdout, new ErrorDocument(new ErrorDocument.Body(message, exitCode, buildId, error?.Platform, error?.Step, error?.LogTail)), BuildJsonContext.Default.ErrorDocument, format);
        }
    }

    // The records' camelCase JSON from generated metadata (Native AOT), or the same document in YAML.
    private static void Write<T>(TextWriter output, T value, JsonTypeInfo<T> type, OutputFormat format)
    {
        var json = JsonSerializer.Serialize(value, type);
        output.WriteLine(format == OutputFormat.Yaml ? YamlText.FromJson(json) : json);
    }
}
