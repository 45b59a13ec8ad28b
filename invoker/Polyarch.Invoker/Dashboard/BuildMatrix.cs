using System.Text;

namespace Polyarch.Invoker.Dashboard;

/// <summary>The commit × architecture matrix: one row per build, one column per platform, a failed cell red with its error.</summary>
internal static class BuildMatrix
{
    public static string Render(
        IReadOnlyList<BuildView> builds, TimeProvider time, IReadOnlyDictionary<string, IReadOnlyDictionary<string, BuildProgressView>>? progress = null)
    {
        if (builds.Count == 0)
        {
            return "<p class=\"muted\">No builds yet. Push to a repository the builder watches, or run <code>polyarch-builder build</code>.</p>";
        }

        var platforms = builds.SelectMany(b => b.Platforms).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.Append("<table class=\"matrix\"><caption class=\"muted\">Each cell: status, duration and the child digest of that architecture; while it builds, its steps done/total and the current step.</caption><thead><tr>")
            .Append("<th scope=\"col\">Commit</th><th scope=\"col\">Repository</th><th scope=\"col\">Build</th>");
        foreach (var platform in platforms)
        {
            html.Append("<th scope=\"col\">").Append(Html.E(platform)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var build in builds)
        {
            html.Append("<tr data-build=\"").Append(Html.E(build.Id)).Append("\"><th scope=\"row\"><a href=\"/builds/").Append(Html.Url(build.Id)).Append("\"><code>")
                .Append(Html.E(build.ShortCommit)).Append("</code></a>");
            if (build.Branch is { } branch)
            {
                html.Append(" <span class=\"muted\">").Append(Html.E(branch)).Append("</span>");
            }

            html.Append("</th><td>").Append(Html.E(build.Repository)).Append("</td><td>").Append(Html.Badge(build.Status))
                .Append(" <span class=\"muted\">").Append(Html.E(Elapsed(build, time))).Append("</span></td>");
            foreach (var platform in platforms)
            {
                if (!build.Platforms.Contains(platform))
                {
                    html.Append("<td class=\"cell\"><span class=\"muted\">not requested</span></td>");
                    continue;
                }

                var cell = build.Cell(platform);
                html.Append("<td class=\"cell ").Append(CellClass(cell.State)).Append("\" data-platform=\"").Append(Html.E(platform))
                    .Append("\" data-state=\"").Append(Html.E(cell.State)).Append("\"><span class=\"state\">").Append(Html.E(Symbol(cell.State))).Append(' ').Append(Html.E(cell.State)).Append("</span>");
                if (cell.State == BuildCell.Running && progress?.GetValueOrDefault(build.Id)?.GetValueOrDefault(platform) is { } step)
                {
                    html.Append("<span class=\"progress\" data-done=\"").Append(step.Done).Append("\" data-total=\"").Append(step.Total).Append("\">")
                        .Append(Html.E(FormattableString.Invariant($"step {step.Done}/{step.Total} · {Html.Ms(step.DurationMs)}"))).Append("</span>");
                    if (step.Current is { } current)
                    {
                        html.Append("<span class=\"why current\">").Append(Html.E(current.Length > 120 ? current[..120] + "…" : current)).Append("</span>");
                    }
                }

                if (cell.DurationMs is { } ms)
                {
                    html.Append(Html.E(Html.Ms(ms))).Append(' ');
                }

                if (cell.ChildDigest is { } digest)
                {
                    html.Append(Html.Digest(digest));
                }

                if (cell.Error is { } error)
                {
                    html.Append("<span class=\"why\">").Append(Html.E(error.Length > 300 ? error[..300] + "…" : error)).Append("</span>");
                }

                html.Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Failed builds first, then running and queued ones, then the newest.</summary>
    public static IReadOnlyList<BuildView> FailuresFirst(IEnumerable<BuildView> builds) =>
        [.. builds.OrderBy(b => b.Status switch { "failed" => 0, "running" => 1, "queued" => 2, _ => 3 }).ThenByDescending(b => b.CreatedAt)];

    private static string Elapsed(BuildView build, TimeProvider time) => build switch
    {
        { StartedAt: { } started, FinishedAt: { } finished } => Html.Ms((long)(finished - started).TotalMilliseconds),
        { Status: "running", StartedAt: { } started } => "for " + Html.Ms((long)(time.GetUtcNow() - started).TotalMilliseconds),
        _ => Html.Time(build.CreatedAt),
    };

    private static string CellClass(string state) => state switch
    {
        BuildCell.Succeeded => "ok",
        BuildCell.Failed => "bad",
        BuildCell.Running or BuildCell.Queued => "busy",
        _ => "idle",
    };

    private static string Symbol(string state) => state switch
    {
        BuildCell.Succeeded => "✓",
        BuildCell.Failed => "✗",
        BuildCell.Running => "…",
        _ => "·",
    };
}
