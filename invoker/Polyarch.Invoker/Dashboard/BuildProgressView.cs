using System.Globalization;
using System.Text.Json;

namespace Polyarch.Invoker.Dashboard;

/// <summary>One platform's progress in a running build, as the builder's <c>GET /v1/builds/{id}/events</c> reports it.</summary>
internal sealed record BuildProgressView(string Platform, int Done, int Total, string? Current, bool Failed, long DurationMs)
{
    /// <summary>Reads one <c>{"progress": …}</c> object; null for anything else.</summary>
    public static BuildProgressView? Parse(JsonElement progress)
    {
        if (progress.ValueKind != JsonValueKind.Object
            || !progress.TryGetProperty("platform", out var platform) || platform.ValueKind != JsonValueKind.String
            || !progress.TryGetProperty("done", out var done) || !done.TryGetInt32(out var doneSteps)
            || !progress.TryGetProperty("total", out var total) || !total.TryGetInt32(out var totalSteps))
        {
            return null;
        }

        var current = progress.TryGetProperty("current", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var failed = progress.TryGetProperty("failed", out var f) && f.ValueKind == JsonValueKind.True;
        long duration = 0;
        if (progress.TryGetProperty("duration", out var d))
        {
            // System.Text.Json writes a TimeSpan as "[d.]hh:mm:ss[.fffffff]"; accept milliseconds too.
            if (d.ValueKind == JsonValueKind.String && TimeSpan.TryParse(d.GetString(), CultureInfo.InvariantCulture, out var span))
            {
                duration = (long)span.TotalMilliseconds;
            }
            else if (d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var ms))
            {
                duration = ms;
            }
        }

        return new BuildProgressView(platform.GetString()!, doneSteps, totalSteps, current, failed, duration);
    }
}
