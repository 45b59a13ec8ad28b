using System.Text;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/rules — the rules and what each fired: (repository, index digest) → one activation per platform.</summary>
internal static class RulesPage
{
    public static async Task<IResult> RenderAsync(HttpContext context, IRuleStore rules, FiringStore firings, CancellationToken ct)
    {
        var html = new StringBuilder();
        html.Append("<h2>Rules</h2><table id=\"rules\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Repository</th><th scope=\"col\">Tag</th>")
            .Append("<th scope=\"col\">Runs</th><th scope=\"col\">Platforms</th><th scope=\"col\">Params</th></tr></thead><tbody>");
        var list = await rules.ListAsync(ct);
        foreach (var rule in list)
        {
            html.Append("<tr><th scope=\"row\">").Append(Html.E(rule.Name)).Append("</th><td><code>").Append(Html.E(rule.Repository ?? $"schedule {rule.Schedule} ({rule.TimeZone ?? "UTC"})")).Append("</code></td><td><code>")
                .Append(Html.E(rule.ArtifactType is null ? rule.Tag : $"{rule.Tag} ({rule.ArtifactType})")).Append("</code></td><td>").Append(Html.E(rule.Runs)).Append("</td><td>")
                .Append(Html.E(string.Join(", ", rule.Platforms))).Append("</td><td><code>").Append(Html.E(rule.Params?.ToJsonString() ?? "{}")).Append("</code></td></tr>");
        }

        if (list.Count == 0)
        {
            html.Append("<tr><td colspan=\"6\" class=\"muted\">No rules. Create one with <code>polyarch-invoker rules create</code>.</td></tr>");
        }

        html.Append("</tbody></table><h2>Firings</h2><table id=\"firings\"><thead><tr><th scope=\"col\">Rule</th><th scope=\"col\">Repository</th><th scope=\"col\">Index</th>")
            .Append("<th scope=\"col\">Ran</th><th scope=\"col\">Activations</th></tr></thead><tbody>");
        var fired = await firings.ListAsync(ct);
        foreach (var firing in fired.Reverse().Take(100))
        {
            html.Append("<tr><th scope=\"row\">").Append(Html.E(firing.Rule)).Append("</th><td>").Append(Html.E(firing.Repository)).Append("</td><td>")
                .Append(Html.Digest(firing.Digest)).Append("</td><td><code>").Append(Html.E(firing.Target)).Append("</code></td><td>");
            foreach (var activation in firing.Activations)
            {
                html.Append("<a href=\"/activations/").Append(Html.Url(activation.ActivationId)).Append("\">").Append(Html.E(activation.Platform)).Append("</a> ");
            }

            html.Append("</td></tr>");
        }

        if (fired.Count == 0)
        {
            html.Append("<tr><td colspan=\"5\" class=\"muted\">No rule has fired yet.</td></tr>");
        }

        html.Append("</tbody></table>");
        return Html.Page(context, "Rules", "Rules and firings", html.ToString());
    }
}
