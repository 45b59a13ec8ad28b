using System.Text;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Dashboard;

/// <summary>Activation table rows: the same HTML on the pages and in the live events.</summary>
internal static class ActivationRows
{
    public const string Header =
        "<thead><tr><th scope=\"col\">Start</th><th scope=\"col\">Activation</th><th scope=\"col\">Action</th><th scope=\"col\">Platform</th>" +
        "<th scope=\"col\">Child digest</th><th scope=\"col\">Container</th><th scope=\"col\" class=\"num\">Duration</th><th scope=\"col\">Status</th></tr></thead>";

    public static string Table(IEnumerable<ActivationRecord> records, string? action = null, string? platform = null, string? status = null)
    {
        var html = new StringBuilder();
        html.Append("<table data-live=\"activations\"");
        Attribute(html, "data-action", action);
        Attribute(html, "data-platform", platform);
        Attribute(html, "data-status", status);
        html.Append('>').Append(Header).Append("<tbody>");
        var any = false;
        foreach (var record in records)
        {
            html.Append(Row(record));
            any = true;
        }

        if (!any)
        {
            html.Append("<tr class=\"empty\"><td colspan=\"8\" class=\"muted\">No activations yet.</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    public static string Row(ActivationRecord record)
    {
        var html = new StringBuilder();
        html.Append("<tr id=\"act-").Append(Html.E(record.ActivationId)).Append("\" data-action=\"").Append(Html.E(record.Action))
            .Append("\" data-platform=\"").Append(Html.E(record.Platform)).Append("\" data-status=\"").Append(Html.E(record.Status)).Append("\">")
            .Append("<td>").Append(Html.E(Html.Time(record.Start))).Append("</td>")
            .Append("<td><a href=\"/activations/").Append(Html.Url(record.ActivationId)).Append("\"><code>").Append(Html.E(record.ActivationId[..Math.Min(12, record.ActivationId.Length)])).Append("</code></a></td>")
            .Append("<td>").Append(Html.E(record.Action)).Append("</td>")
            .Append("<td class=\"platform\">").Append(Html.E(record.Platform ?? "–")).Append(' ')
            .Append(record.ChildDigest is null ? string.Empty : record.Emulated ? "<span class=\"badge busy\">emulated</span>" : "<span class=\"badge idle\">native</span>").Append("</td>")
            .Append("<td>").Append(Html.Digest(record.ChildDigest)).Append("</td>")
            .Append("<td>").Append(record.ChildDigest is null ? "–" : record.Cold ? "cold" : "warm").Append("</td>")
            .Append("<td class=\"num\">").Append(Html.E(Html.Ms((long)(record.End - record.Start).TotalMilliseconds))).Append("</td>")
            .Append("<td>").Append(Html.Badge(record.Status)).Append("</td></tr>");
        return html.ToString();
    }

    /// <summary>Failed activations first, then the newest.</summary>
    public static IEnumerable<ActivationRecord> FailuresFirst(IEnumerable<ActivationRecord> records) =>
        records.OrderBy(r => r.IsSuccess ? 1 : 0).ThenByDescending(r => r.Start);

    private static void Attribute(StringBuilder html, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            html.Append(' ').Append(name).Append("=\"").Append(Html.E(value)).Append('"');
        }
    }
}
