using System.Globalization;
using System.Text;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/workflows — the newest runs; /workflows/runs/{id} — one run as a graph of its steps with per-platform status, and a table of its activations and result artifacts.</summary>
internal static class WorkflowsPage
{
    private const int BoxWidth = 190;
    private const int BoxHeight = 74;
    private const int ColumnGap = 60;
    private const int RowGap = 22;

    public static async Task<IResult> ListAsync(HttpContext context, WorkflowStore store, TimeProvider time, CancellationToken ct)
    {
        var runs = await store.ListRunsAsync(null, 100, ct);
        var definitions = await store.ListAsync(ct);
        var html = new StringBuilder();
        html.Append("<h2>Runs</h2><table id=\"workflow-runs\"><thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Workflow</th><th scope=\"col\">Status</th>")
            .Append("<th scope=\"col\">Trigger</th><th scope=\"col\">Started</th><th scope=\"col\">Duration</th><th scope=\"col\">Steps</th></tr></thead><tbody>");
        foreach (var run in runs.OrderBy(r => Html.Css(r.Status) == "bad" ? 0 : 1).ThenByDescending(r => r.StartedAt))
        {
            html.Append("<tr><th scope=\"row\"><a href=\"/workflows/runs/").Append(Html.Url(run.Id)).Append("\"><code>").Append(Html.E(run.Id)).Append("</code></a></th><td>")
                .Append(Html.E(run.Workflow)).Append("</td><td>").Append(Html.Badge(run.Status)).Append("</td><td>").Append(Trigger(run.Trigger)).Append("</td><td>")
                .Append(Html.Time(run.StartedAt)).Append("</td><td>").Append(Html.Ms(Duration(run, time))).Append("</td><td>");
            foreach (var step in run.Steps)
            {
                html.Append("<span class=\"badge ").Append(Html.Css(step.Status)).Append("\" title=\"").Append(Html.E($"{step.Name}: {step.Status}")).Append("\">")
                    .Append(Html.E(step.Name)).Append("</span> ");
            }

            html.Append("</td></tr>");
        }

        if (runs.Count == 0)
        {
            html.Append("<tr><td colspan=\"7\" class=\"muted\">No runs yet. Start one with <code>polyarch-invoker workflows run NAME</code>, or a rule on a push or a schedule.</td></tr>");
        }

        html.Append("</tbody></table><h2>Workflows</h2><table id=\"workflows\"><thead><tr><th scope=\"col\">Name</th><th scope=\"col\">Steps</th><th scope=\"col\">Results</th></tr></thead><tbody>");
        foreach (var workflow in definitions)
        {
            html.Append("<tr><th scope=\"row\">").Append(Html.E(workflow.Name)).Append("</th><td>")
                .Append(Html.E(string.Join(" → ", workflow.Steps.Select(s => s.Name)))).Append("</td><td><code>").Append(Html.E(workflow.Results ?? "–")).Append("</code></td></tr>");
        }

        if (definitions.Count == 0)
        {
            html.Append("<tr><td colspan=\"3\" class=\"muted\">No workflows. Create one with <code>polyarch-invoker workflows create NAME --file FILE</code>.</td></tr>");
        }

        html.Append("</tbody></table>");
        return Html.Page(context, "Workflows", "Workflow runs", html.ToString());
    }

    public static async Task<IResult> DetailAsync(string id, HttpContext context, WorkflowStore store, TimeProvider time, CancellationToken ct)
    {
        var run = await store.GetRunAsync(id, ct);
        if (run is null)
        {
            context.Response.StatusCode = 404;
            return Html.Page(context, "Workflows", "Workflow run", Html.Error($"There is no workflow run '{id}'. The runs page lists them."));
        }

        var definition = await store.GetRunDefinitionAsync(id, ct);
        var html = new StringBuilder();
        html.Append("<dl class=\"facts\">")
            .Append("<dt>Workflow</dt><dd>").Append(Html.E(run.Workflow)).Append("</dd>")
            .Append("<dt>Status</dt><dd>").Append(Html.Badge(run.Status)).Append("</dd>");
        if (run.Reason is { } reason)
        {
            html.Append("<dt>Reason</dt><dd>").Append(Html.E(reason)).Append("</dd>");
        }

        html.Append("<dt>Trigger</dt><dd>").Append(Trigger(run.Trigger)).Append("</dd>")
            .Append("<dt>Started · ended</dt><dd>").Append(Html.E($"{Html.Time(run.StartedAt)} · {Html.Time(run.EndedAt)}")).Append("</dd>")
            .Append("<dt>Params</dt><dd><code>").Append(Html.E(run.Params.ToJsonString())).Append("</code></dd>")
            .Append("<dt>Result</dt><dd><code>").Append(Html.E(run.Result?.ToJsonString() ?? "–")).Append("</code></dd>")
            .Append("<dt>Results repository</dt><dd><code>").Append(Html.E(run.Results ?? "–")).Append("</code></dd></dl>");

        html.Append("<h2>Steps</h2>").Append(Graph(run, definition));
        html.Append("<table id=\"workflow-steps\"><thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Platform</th><th scope=\"col\">Status</th><th scope=\"col\">Attempt</th>")
            .Append("<th scope=\"col\">Duration</th><th scope=\"col\">Activation</th><th scope=\"col\">Result artifact</th><th scope=\"col\">Result or error</th></tr></thead><tbody>");
        foreach (var step in run.Steps)
        {
            if (step.Runs.Count == 0)
            {
                html.Append("<tr><th scope=\"row\">").Append(Html.E(step.Name)).Append("</th><td>–</td><td>").Append(Html.Badge(step.Status)).Append("</td><td colspan=\"5\">")
                    .Append(Html.E(step.Reason ?? string.Empty)).Append("</td></tr>");
                continue;
            }

            foreach (var platform in step.Runs)
            {
                html.Append("<tr><th scope=\"row\">").Append(Html.E(step.Name)).Append("</th><td>").Append(Html.E(platform.Platform ?? "–")).Append("</td><td>")
                    .Append(Html.Badge(platform.Status)).Append("</td><td>").Append(platform.Attempt.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                    .Append(Html.Ms(platform.DurationMs)).Append("</td><td>");
                html.Append(platform.ActivationId is { } activation
                    ? $"<a href=\"/activations/{Html.Url(activation)}\"><code>{Html.E(activation)}</code></a>"
                    : "–");
                html.Append("</td><td>").Append(Artifact(platform.Artifact)).Append("</td><td><code>")
                    .Append(Html.E(platform.Error ?? platform.Result?.ToJsonString() ?? string.Empty)).Append("</code></td></tr>");
            }
        }

        html.Append("</tbody></table>");
        return Html.Page(context, "Workflows", $"Run {run.Id}", html.ToString());
    }

    /// <summary>The steps in columns by depth (a step stands right of everything it needs), edges for needs, one chip per platform.</summary>
    internal static string Graph(WorkflowRun run, WorkflowDefinition? definition)
    {
        var needs = definition?.Steps.ToDictionary(s => s.Name, s => s.Needs, StringComparer.Ordinal) ?? new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Depth(string step, int guard) =>
            depth.TryGetValue(step, out var known) ? known
            : depth[step] = guard > needs.Count || !needs.TryGetValue(step, out var before) || before.Count == 0 ? 0 : before.Max(b => Depth(b, guard + 1)) + 1;
        foreach (var step in run.Steps)
        {
            Depth(step.Name, 0);
        }

        var position = new Dictionary<string, (int X, int Y)>(StringComparer.Ordinal);
        foreach (var column in run.Steps.GroupBy(s => depth[s.Name]))
        {
            var row = 0;
            foreach (var step in column)
            {
                position[step.Name] = (column.Key * (BoxWidth + ColumnGap), row++ * (BoxHeight + RowGap));
            }
        }

        var width = position.Count == 0 ? BoxWidth : position.Values.Max(p => p.X) + BoxWidth + 2;
        var height = position.Count == 0 ? BoxHeight : position.Values.Max(p => p.Y) + BoxHeight + 2;
        var label = string.Join("; ", run.Steps.Select(s => $"{s.Name} {s.Status}" + (needs.TryGetValue(s.Name, out var n) && n.Count > 0 ? $" after {string.Join(", ", n)}" : string.Empty)));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"workflow-graph\" class=\"graph\" role=\"img\" aria-label=\"{Html.E(label)}\" viewBox=\"-1 -1 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        foreach (var step in run.Steps)
        {
            foreach (var before in needs.GetValueOrDefault(step.Name) ?? [])
            {
                if (position.TryGetValue(before, out var from) && position.TryGetValue(step.Name, out var to))
                {
                    svg.Append(CultureInfo.InvariantCulture, $"<line class=\"edge\" x1=\"{from.X + BoxWidth}\" y1=\"{from.Y + (BoxHeight / 2)}\" x2=\"{to.X}\" y2=\"{to.Y + (BoxHeight / 2)}\"/>");
                }
            }
        }

        foreach (var step in run.Steps)
        {
            var (x, y) = position[step.Name];
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"step {Html.Css(step.Status)}\" data-step=\"{Html.E(step.Name)}\" data-status=\"{Html.E(step.Status)}\">")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"8\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 10}\" y=\"{y + 20}\" class=\"name\">{Html.E(step.Name)} · {Html.E(step.Status)}</text>");
            var chip = 0;
            foreach (var platform in step.Runs)
            {
                var arch = platform.Platform is { } p && p.LastIndexOf('/') is var slash and >= 0 ? p[(slash + 1)..] : platform.Platform ?? "?";
                var cx = x + 10 + (chip % 3 * 58);
                var cy = y + 32 + (chip / 3 * 20);
                chip++;
                var text = $"<rect class=\"chip {Html.Css(platform.Status)}\" x=\"{cx}\" y=\"{cy}\" width=\"54\" height=\"16\" rx=\"4\"/><text x=\"{cx + 4}\" y=\"{cy + 12}\" class=\"chip-text\">{Html.E(arch)}</text>";
                svg.Append(platform.ActivationId is { } activation
                    ? $"<a href=\"/activations/{Html.Url(activation)}\" data-platform=\"{Html.E(platform.Platform)}\" data-status=\"{Html.E(platform.Status)}\"><title>{Html.E($"{platform.Platform}: {platform.Status}")}</title>{text}</a>"
                    : $"<g data-platform=\"{Html.E(platform.Platform)}\" data-status=\"{Html.E(platform.Status)}\"><title>{Html.E($"{platform.Platform}: {platform.Status}")}</title>{text}</g>");
            }

            svg.Append("</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private static string Artifact(WorkflowArtifact? artifact)
    {
        if (artifact is null)
        {
            return "–";
        }

        var files = string.Join(", ", artifact.Files.Select(f => $"{f.Name} ({Html.Bytes(f.Size)})"));
        return $"<code title=\"{Html.E(artifact.Reference)}\">{Html.E(artifact.Tag)}</code> {Html.Digest(artifact.Digest)}<br><span class=\"muted\">{Html.E(files)}</span>";
    }

    private static string Trigger(WorkflowTrigger? trigger) => trigger is null
        ? "manual"
        : Html.E(trigger.Kind) + (trigger.Repository is { } repository ? $" <code>{Html.E(repository)}</code>" : string.Empty) + (trigger.Digest is { } digest ? " " + Html.Digest(digest) : string.Empty)
          + (trigger.ScheduledAt is { } at ? " " + Html.Time(at) : string.Empty);

    private static long? Duration(WorkflowRun run, TimeProvider time) =>
        (long)((run.EndedAt ?? time.GetUtcNow()) - run.StartedAt).TotalMilliseconds;
}
