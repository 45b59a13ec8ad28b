using System.Text;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/ — the backend's platforms (native or emulated) with warm containers, recent builds and activations, failures first.</summary>
internal static class OverviewPage
{
    public static async Task<IResult> RenderAsync(
        HttpContext context, IActionBackend backend, WarmContainers warm, IActivationStore activations, BuilderApiClient builder, TimeProvider time, CancellationToken ct)
    {
        var html = new StringBuilder();
        html.Append("<h2>Platforms</h2>");
        try
        {
            var inventory = await backend.GetInventoryAsync(ct);
            var counts = await warm.PerPlatformAsync(ct);
            html.Append(Platforms(inventory, counts));
        }
        catch (InvokerException exception)
        {
            html.Append(Html.Error($"The {backend.Name} backend does not answer: {exception.Message}"));
        }

        html.Append("<h2>Recent builds</h2>");
        var builds = await builder.ListBuildsAsync(20, ct);
        html.Append("<div id=\"build-matrix\">");
        html.Append(builds.Json is { } list ? BuildMatrix.Render([.. BuildMatrix.FailuresFirst(BuildView.ParseList(list)).Take(8)], time) : Html.Error(builds.Error!));
        html.Append("</div><p><a href=\"/builds\">All builds</a></p>");

        html.Append("<h2>Recent activations</h2>");
        var recent = await activations.ListAsync(null, 50, ct);
        html.Append(ActivationRows.Table(ActivationRows.FailuresFirst(recent).Take(12)));
        html.Append("<p><a href=\"/activations\">All activations</a></p>");
        return Html.Page(context, "Overview", "Overview", html.ToString());
    }

    private static string Platforms(BackendInventory inventory, IReadOnlyDictionary<string, int> warm)
    {
        var html = new StringBuilder();
        html.Append("<div class=\"cards\">")
            .Append("<div class=\"card\"><div class=\"muted\">Backend</div><div class=\"big\">").Append(Html.E(inventory.Backend)).Append("</div>").Append(Html.E(inventory.Node)).Append("</div>")
            .Append("<div class=\"card\"><div class=\"muted\">CPUs · memory</div><div class=\"big\">").Append(inventory.Cpus).Append("</div>").Append(Html.E(Html.Bytes(inventory.MemoryBytes))).Append("</div>")
            .Append("<div class=\"card\"><div class=\"muted\">GPUs · TPUs</div><div class=\"big\">").Append(inventory.Gpus).Append(" · ").Append(inventory.Tpus).Append("</div></div>")
            .Append("</div>");
        html.Append("<table id=\"platforms\"><thead><tr><th scope=\"col\">Platform</th><th scope=\"col\">How</th><th scope=\"col\" class=\"num\">Warm containers</th></tr></thead><tbody>");
        foreach (var platform in inventory.Platforms)
        {
            html.Append("<tr data-platform=\"").Append(Html.E(platform.Platform)).Append("\"><th scope=\"row\">").Append(Html.E(platform.Platform)).Append("</th><td>")
                .Append(platform.Emulated ? "<span class=\"badge busy\">emulated</span> (QEMU)" : "<span class=\"badge ok\">native</span>")
                .Append("</td><td class=\"num\">").Append(warm.GetValueOrDefault(platform.Platform)).Append("</td></tr>");
        }

        if (warm.GetValueOrDefault("prewarmed") is > 0 and var prewarmed)
        {
            html.Append("<tr><th scope=\"row\">prewarmed</th><td class=\"muted\">not yet used</td><td class=\"num\">").Append(prewarmed).Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }
}
