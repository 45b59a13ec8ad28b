using System.Text;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/builds — the matrix (live while builds run); /builds/{id} — one build: its platforms, error, index and log.</summary>
internal static class BuildsPage
{
    public static async Task<IResult> ListAsync(HttpContext context, BuilderApiClient builder, TimeProvider time, CancellationToken ct)
    {
        var builds = await builder.ListBuildsAsync(50, ct);
        string body;
        if (builds.Json is { } list)
        {
            var views = BuildView.ParseList(list);
            body = $"<div id=\"build-matrix\">{BuildMatrix.Render(views, time, await builder.GetRunningProgressAsync(views, ct))}</div>";
        }
        else
        {
            body = Html.Error(builds.Error!);
        }

        return Html.Page(context, "Builds", "Builds", body);
    }

    public static async Task<IResult> DetailAsync(string id, HttpContext context, BuilderApiClient builder, TimeProvider time, CancellationToken ct)
    {
        var answer = await builder.GetBuildAsync(id, ct);
        if (answer.Json is not { } json || BuildView.Parse(json) is not { } build)
        {
            context.Response.StatusCode = answer.NotFound ? 404 : 502;
            return Html.Page(context, "Builds", "Build", Html.Error(answer.Error ?? $"The builder's answer for build {id} is not a build."));
        }

        var html = new StringBuilder();
        html.Append("<dl class=\"facts\">")
            .Append("<dt>Repository</dt><dd>").Append(Html.E($"{build.Registry}/{build.Repository}")).Append("</dd>")
            .Append("<dt>Commit</dt><dd><code>").Append(Html.E(build.Commit)).Append("</code></dd>")
            .Append("<dt>Branch</dt><dd>").Append(Html.E(build.Branch ?? "–")).Append("</dd>")
            .Append("<dt>Status</dt><dd>").Append(Html.Badge(build.Status)).Append("</dd>")
            .Append("<dt>Created · started · finished</dt><dd>").Append(Html.E($"{Html.Time(build.CreatedAt)} · {Html.Time(build.StartedAt)} · {Html.Time(build.FinishedAt)}")).Append("</dd>")
            .Append("</dl>");
        html.Append("<h2>Architectures</h2><div id=\"build-matrix\">").Append(BuildMatrix.Render([build], time, await builder.GetRunningProgressAsync([build], ct))).Append("</div>");
        if (build.ErrorMessage is { } error)
        {
            html.Append("<h2>Error</h2>").Append(Html.Error(error));
            if (build.ErrorStep is { } step)
            {
                html.Append("<p>Step: <code>").Append(Html.E(step)).Append("</code></p>");
            }

            if (build.ErrorLogTail is { } tail)
            {
                html.Append("<pre aria-label=\"End of the failing step's log\">").Append(Html.E(tail)).Append("</pre>");
            }
        }

        html.Append("<h2>Index</h2>");
        var any = false;
        foreach (var image in build.Images)
        {
            any = true;
            html.Append("<p><a href=\"/images/view?ref=").Append(Html.Url(image.Reference)).Append("\"><code>").Append(Html.E(image.Reference)).Append("</code></a> tags: ")
                .Append(Html.E(string.Join(", ", image.Tags))).Append("</p>");
        }

        if (!any)
        {
            html.Append("<p class=\"muted\">No index (yet).</p>");
        }

        html.Append("<h2>Log</h2>");
        var log = await builder.GetLogAsync(id, ct);
        html.Append(log.Text is { Length: > 0 } text
            ? $"<pre tabindex=\"0\" aria-label=\"Build log\">{Html.E(text)}</pre>"
            : log.Error is { } logError ? Html.Error(logError) : "<p class=\"muted\">No log (the build has not finished, or retention removed it).</p>");
        return Html.Page(context, "Builds", $"Build {build.ShortCommit}", html.ToString());
    }
}
