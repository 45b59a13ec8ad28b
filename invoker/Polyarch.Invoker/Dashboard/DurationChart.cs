using System.Globalization;
using System.Text;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// Median activation duration per platform, native and emulated apart, as inline SVG rendered here (no chart library:
/// a handful of bars needs none, and nothing has to be loaded or allowed by the CSP).
/// </summary>
internal static class DurationChart
{
    private const int Width = 720;
    private const int LabelWidth = 250;
    private const int RowHeight = 30;

    public static string Render(IEnumerable<ActivationRecord> records)
    {
        var groups = records
            .Where(r => r.Platform is not null && r.ChildDigest is not null)
            .GroupBy(r => (Platform: r.Platform!, r.Emulated))
            .Select(g => (g.Key.Platform, g.Key.Emulated, Count: g.Count(), Median: Median(g.Select(r => (long)(r.End - r.Start).TotalMilliseconds))))
            .OrderBy(g => g.Platform, StringComparer.Ordinal).ThenBy(g => g.Emulated)
            .ToList();
        if (groups.Count == 0)
        {
            return "<p class=\"muted\">No durations yet.</p>";
        }

        var max = Math.Max(1, groups.Max(g => g.Median));
        var height = (groups.Count * RowHeight) + 10;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" width=\"{Width}\" height=\"{height}\" viewBox=\"0 0 {Width} {height}\">")
            .Append("<title id=\"chart-title\">Median activation duration per platform, native and emulated</title><desc id=\"chart-desc\">");
        foreach (var g in groups)
        {
            html.Append(Html.E(Describe(g.Platform, g.Emulated, g.Count, g.Median))).Append(". ");
        }

        html.Append("</desc>");
        var y = 4;
        foreach (var g in groups)
        {
            var bar = Math.Max(2, (int)((Width - LabelWidth - 90) * (g.Median / (double)max)));
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"0\" y=\"{y + 18}\">{Html.E($"{g.Platform} {(g.Emulated ? "emulated" : "native")} (n={g.Count})")}</text>")
                .Append(CultureInfo.InvariantCulture, $"<rect class=\"{(g.Emulated ? "emulated" : "native")}\" x=\"{LabelWidth}\" y=\"{y + 4}\" width=\"{bar}\" height=\"{RowHeight - 10}\"></rect>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{LabelWidth + bar + 6}\" y=\"{y + 18}\">{Html.E(Html.Ms(g.Median))}</text>");
            y += RowHeight;
        }

        return html.Append("</svg>").ToString();
    }

    private static string Describe(string platform, bool emulated, int count, long median) =>
        $"{platform} {(emulated ? "emulated" : "native")}: median {Html.Ms(median)} over {count}";

    private static long Median(IEnumerable<long> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
