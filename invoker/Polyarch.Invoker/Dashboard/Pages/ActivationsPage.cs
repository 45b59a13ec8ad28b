using System.Text;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/activations — filter by action, platform, status, live; the duration chart; /activations/{id} — one activation.</summary>
internal static class ActivationsPage
{
    private const int Window = 200;

    public static async Task<IResult> ListAsync(string? action, string? platform, string? status, HttpContext context, IActivationStore store, CancellationToken ct)
    {
        action = Blank(action);
        platform = Blank(platform);
        status = Blank(status);
        var records = await store.ListAsync(action, Window, ct);
        var shown = records.Where(r => (platform is null || r.Platform == platform) && (status is null || r.Status == status)).ToList();
        var html = new StringBuilder();
        html.Append("<form class=\"filters\" method=\"get\" action=\"/activations\">")
            .Append(Select("action", "Action", action, records.Select(r => r.Action)))
            .Append(Select("platform", "Platform", platform, records.Select(r => r.Platform ?? string.Empty)))
            .Append(Select("status", "Status", status, [ActivationStatus.Success, ActivationStatus.ApplicationError, ActivationStatus.DeveloperError, ActivationStatus.SystemError, .. records.Select(r => r.Status)]))
            .Append("<button type=\"submit\">Filter</button></form>");
        html.Append("<h2>Duration per platform</h2>").Append(DurationChart.Render(shown));
        html.Append("<h2>Activations</h2>").Append(ActivationRows.Table(shown, action, platform, status));
        return Html.Page(context, "Activations", "Activations", html.ToString());
    }

    public static async Task<IResult> DetailAsync(string id, HttpContext context, IActivationStore store, AcceptedActivationStore accepted, CancellationToken ct)
    {
        if (!ActivationId.IsValid(id) || await store.GetAsync(id, ct) is not { } record)
        {
            var waiting = ActivationId.IsValid(id) ? await accepted.GetAsync(id, ct) : null;
            context.Response.StatusCode = waiting is null ? 404 : 200;
            return Html.Page(context, "Activations", "Activation", waiting is null
                ? Html.Error($"There is no activation {id}: see the activations list.")
                : $"<p>Activation <code>{Html.E(id)}</code> of {Html.E(waiting.Target)} is {Html.Badge(waiting.State)} (accepted {Html.E(Html.Time(waiting.Accepted))}).</p>");
        }

        var html = new StringBuilder();
        html.Append("<dl class=\"facts\">")
            .Append("<dt>Status</dt><dd>").Append(Html.Badge(record.Status)).Append("</dd>")
            .Append("<dt>Action</dt><dd>").Append(Html.E(record.Action)).Append("</dd>")
            .Append("<dt>Image</dt><dd><code>").Append(Html.E(record.Image)).Append("</code></dd>")
            .Append("<dt>Index</dt><dd>").Append(Html.Digest(record.IndexDigest)).Append("</dd>")
            .Append("<dt>Pinned digest</dt><dd>").Append(Html.Digest(record.ChildDigest)).Append("</dd>")
            .Append("<dt>Platform</dt><dd class=\"platform\">").Append(Html.E(record.Platform ?? "–")).Append(' ')
            .Append(record.ChildDigest is null ? string.Empty : record.Emulated ? "<span class=\"badge busy\">emulated</span>" : "<span class=\"badge idle\">native</span>").Append("</dd>")
            .Append("<dt>Placement</dt><dd>").Append(Html.E(Placement(record))).Append("</dd>")
            .Append("<dt>Start</dt><dd>").Append(record.ChildDigest is null ? "did not start" : record.Cold ? "cold" : "warm").Append("</dd>")
            .Append("<dt>Timings</dt><dd>").Append(Html.E($"wait {Html.Ms(record.WaitMs)} · init {Html.Ms(record.InitMs)} · run {Html.Ms(record.RunMs)} · total {Html.Ms((long)(record.End - record.Start).TotalMilliseconds)}")).Append("</dd>")
            .Append("<dt>Start · end</dt><dd>").Append(Html.E($"{Html.Time(record.Start)} · {Html.Time(record.End)}")).Append("</dd>")
            .Append("</dl>");
        if (WhyNotTable.FromResult(record.Result) is { } whyNot)
        {
            html.Append("<h2>Why it could not run</h2>").Append(whyNot);
        }

        // The record keeps no params of its own; an action that echoes them (as the samples do) shows them in its result.
        if (record.Result?["params"] is { } echoed)
        {
            html.Append("<h2>Params</h2><pre>").Append(Html.E(echoed.ToJsonString(InvokerJson.Indented))).Append("</pre>");
        }

        html.Append("<h2>Result</h2><pre tabindex=\"0\" aria-label=\"Result\">").Append(Html.E(record.Result?.ToJsonString(InvokerJson.Indented) ?? "null")).Append("</pre>");
        html.Append("<h2>Logs</h2><pre tabindex=\"0\" aria-label=\"Logs\">").Append(Html.E(string.Join('\n', record.Logs)))
            .Append(record.Truncated ? "\n[truncated]" : string.Empty).Append("</pre>");
        return Html.Page(context, "Activations", $"Activation {id[..12]}", html.ToString());
    }

    private static string Placement(ActivationRecord record) => record.ChildDigest is null
        ? "not placed"
        : $"the {record.Platform} variant on the {record.Backend} backend{(record.Node is { } node ? $", {node}" : string.Empty)}, {(record.Emulated ? "emulated (QEMU)" : "native")}";

    private static string Select(string name, string label, string? current, IEnumerable<string> values)
    {
        var html = new StringBuilder();
        html.Append("<label for=\"f-").Append(name).Append("\">").Append(label).Append("<select id=\"f-").Append(name).Append("\" name=\"").Append(name).Append("\"><option value=\"\">any</option>");
        foreach (var value in values.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            html.Append("<option").Append(value == current ? " selected" : string.Empty).Append(" value=\"").Append(Html.E(value)).Append("\">").Append(Html.E(value)).Append("</option>");
        }

        return html.Append("</select></label>").ToString();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
