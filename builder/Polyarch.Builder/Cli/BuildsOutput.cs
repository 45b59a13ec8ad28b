using System.Globalization;
using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Cli;

/// <summary>How the <c>builds</c> verbs print records: a table for people, the records' JSON (or YAML) for machines.</summary>
internal static class BuildsOutput
{
    public static void List(TextWriter output, IReadOnlyList<BuildRecord> builds, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(output, builds, format);
            return;
        }

        output.WriteLine($"{"ID",-26} {"STATUS",-10} {"REPOSITORY",-28} {"COMMIT",-12} {"PLATFORMS",-36} {"CREATED",-20} {"SECONDS",7}");
        foreach (var build in builds)
        {
            output.WriteLine(
                $"{build.Id,-26} {Status(build),-10} {build.Request.Registry + "/" + build.Request.Repository,-28} {build.Request.Commit[..Math.Min(12, build.Request.Commit.Length)],-12} " +
                $"{string.Join(",", build.Request.Platforms),-36} {build.CreatedAt.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),-20} {Seconds(build),7}");
        }
    }

    public static void One(TextWriter output, BuildRecord build, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(output, build, format);
            return;
        }

        BuildReport.Write(output, build, format, reused: false);
        output.WriteLine($"source {build.Request.SourceUrl}");
        output.WriteLine($"platforms {string.Join(", ", build.Request.Platforms)} · trigger {build.Request.Trigger} · attempts {build.Attempts}");
        output.WriteLine($"created {build.CreatedAt:O}{(build.StartedAt is { } s ? $" · started {s:O}" : "")}{(build.FinishedAt is { } f ? $" · finished {f:O}" : "")}");
        if (build.Error is { } error)
        {
            output.WriteLine($"error: {error.Message}");
        }
    }

    public static void Logs(TextWriter output, string id, string text, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(output, new { id, log = text }, format);
            return;
        }

        output.Write(text);
    }

    private static string Status(BuildRecord build) => build.Status.ToString().ToLowerInvariant();

    private static string Seconds(BuildRecord build) =>
        build is { StartedAt: { } started, FinishedAt: { } finished }
            ? (finished - started).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)
            : "-";
}
