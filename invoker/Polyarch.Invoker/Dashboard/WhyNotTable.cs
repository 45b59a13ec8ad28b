using System.Text;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Dashboard;

/// <summary>The placement why-not table: per candidate (variant, target), why it was not taken.</summary>
internal static class WhyNotTable
{
    public static string Render(IEnumerable<CandidateVerdict> candidates, IEnumerable<string> failures)
    {
        var html = new StringBuilder();
        var failureList = failures.ToList();
        if (failureList.Count > 0)
        {
            html.Append("<ul class=\"why-not-failures\">");
            foreach (var failure in failureList)
            {
                html.Append("<li>").Append(Html.E(failure)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<table class=\"why-not\"><thead><tr><th scope=\"col\">Variant</th><th scope=\"col\">Target</th><th scope=\"col\">Why not</th></tr></thead><tbody>");
        var any = false;
        foreach (var candidate in candidates)
        {
            any = true;
            html.Append("<tr><td>").Append(Html.E(candidate.Variant)).Append("</td><td>").Append(Html.E(candidate.Target)).Append("</td><td>")
                .Append(Html.E(candidate.Reason)).Append("</td></tr>");
        }

        if (!any)
        {
            html.Append("<tr><td colspan=\"3\" class=\"muted\">No candidate was considered.</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The table stored in an activation's result (reason "placement-failed").</summary>
    public static string? FromResult(JsonNode? result)
    {
        if (result is not JsonObject body || body["reason"]?.GetValue<string>() != Invocation.NotStartedActivation.PlacementFailed)
        {
            return null;
        }

        var candidates = (body["candidates"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => new CandidateVerdict(Text(c, "variant"), Text(c, "target"), Text(c, "reason")));
        var failures = (body["failures"] as JsonArray ?? []).Select(f => f?.ToString() ?? string.Empty);
        return Render(candidates, failures);
    }

    private static string Text(JsonObject node, string name) => node[name]?.ToString() ?? string.Empty;
}
