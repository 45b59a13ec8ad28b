using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>/images — repositories and tags of the registry; /images/view?ref= — the index, its variants and where each can run (or why not).</summary>
internal static class ImagesPage
{
    private const int MaxRepositories = 100;
    private const int MaxTags = 30;

    public static async Task<IResult> ListAsync(
        HttpContext context, IRegistryClient registry, IOptions<DashboardOptions> options, IOptions<TriggerOptions> triggers, CancellationToken ct)
    {
        var host = options.Value.Registry ?? triggers.Value.DefaultRegistry;
        var html = new StringBuilder();
        html.Append("<p>Registry <code>").Append(Html.E(host)).Append("</code> (Dashboard:Registry).</p>")
            .Append("<form class=\"filters\" method=\"get\" action=\"/images/view\"><label for=\"ref\">Image reference<input id=\"ref\" name=\"ref\" size=\"60\" placeholder=\"")
            .Append(Html.E(host)).Append("/demo/echo:latest\"></label><button type=\"submit\">Show</button></form>");
        try
        {
            var repositories = await registry.ListRepositoriesAsync(host, ct);
            if (repositories is null)
            {
                html.Append("<p class=\"muted\">The registry serves no catalog: open an image by its reference above.</p>");
            }
            else
            {
                html.Append("<table id=\"repositories\"><thead><tr><th scope=\"col\">Repository</th><th scope=\"col\">Tags</th></tr></thead><tbody>");
                foreach (var repository in repositories.Order(StringComparer.Ordinal).Take(MaxRepositories))
                {
                    var name = $"{host}/{repository}";
                    var tags = await registry.ListTagsAsync(ImageReference.Parse(name), ct) ?? [];
                    html.Append("<tr><th scope=\"row\">").Append(Html.E(repository)).Append("</th><td>");
                    foreach (var tag in tags.Order(StringComparer.Ordinal).Take(MaxTags))
                    {
                        html.Append("<a href=\"/images/view?ref=").Append(Html.Url($"{name}:{tag}")).Append("\">").Append(Html.E(tag)).Append("</a> ");
                    }

                    if (tags.Count > MaxTags)
                    {
                        html.Append("<span class=\"muted\">and ").Append(tags.Count - MaxTags).Append(" more</span>");
                    }

                    html.Append("</td></tr>");
                }

                html.Append("</tbody></table>");
            }
        }
        catch (RegistryException exception)
        {
            html.Append(Html.Error($"The registry {host} does not answer: {exception.Message}"));
        }

        return Html.Page(context, "Images", "Images", html.ToString());
    }

    public static async Task<IResult> ViewAsync(
        string? @ref, HttpContext context, IImageResolver resolver, IRegistryClient registry, IActionBackend backend, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(@ref) || !ImageReference.TryParse(@ref, out var reference, out var parseError))
        {
            context.Response.StatusCode = 400;
            return Html.Page(context, "Images", "Image", Html.Error($"'{@ref}' is not an image reference; use e.g. 127.0.0.1:5000/demo/echo:latest."));
        }

        var html = new StringBuilder();
        ImageVariants image;
        try
        {
            var index = await resolver.ResolveAsync(reference!, ct);
            var document = await registry.GetManifestAsync(reference!.WithDigest(index.Digest), ct);
            var annotations = Annotations(document?.Content);
            html.Append("<dl class=\"facts\"><dt>Index</dt><dd>").Append(Html.Digest(index.Digest.ToString())).Append("</dd><dt>Media type</dt><dd><code>")
                .Append(Html.E(index.MediaType)).Append("</code></dd>");
            foreach (var (key, value) in annotations.GetValueOrDefault(string.Empty) ?? [])
            {
                html.Append("<dt>").Append(Html.E(key)).Append("</dt><dd>").Append(Html.E(value)).Append("</dd>");
            }

            html.Append("</dl><h2>Variants</h2><table id=\"variants\"><thead><tr><th scope=\"col\">Platform</th><th scope=\"col\">Digest</th><th scope=\"col\" class=\"num\">Size</th>")
                .Append("<th scope=\"col\">Requirement labels</th><th scope=\"col\">Annotations</th></tr></thead><tbody>");
            var variants = new List<VariantInfo>();
            foreach (var variant in index.Variants)
            {
                var config = await resolver.GetConfigAsync(reference, variant, ct);
                var labels = config.Config?.Labels ?? new Dictionary<string, string>();
                variants.Add(new VariantInfo(variant.Platform.ToString(), variant.Digest.ToString(), labels));
                html.Append("<tr><th scope=\"row\">").Append(Html.E(variant.Platform.ToString())).Append("</th><td>").Append(Html.Digest(variant.Digest.ToString()))
                    .Append("</td><td class=\"num\">").Append(Html.E(Html.Bytes(variant.Size))).Append("</td><td>")
                    .Append(Pairs(labels.Where(l => l.Key.StartsWith("io.polyarch.", StringComparison.Ordinal)))).Append("</td><td>")
                    .Append(Pairs(annotations.GetValueOrDefault(variant.Digest.ToString()) ?? [])).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
            image = new ImageVariants(@ref, reference.RepositoryName, index.Digest.ToString(), variants);
        }
        catch (RegistryException exception)
        {
            context.Response.StatusCode = exception is RegistryUnavailableException ? 502 : 404;
            return Html.Page(context, "Images", @ref, Html.Error($"{@ref} cannot be read from its registry: {exception.Message}"));
        }

        html.Append("<h2>Where it can run</h2>");
        try
        {
            html.Append(await PlacementAsync(image, backend, ct));
        }
        catch (InvokerException exception)
        {
            html.Append(Html.Error($"The {backend.Name} backend does not answer: {exception.Message}"));
        }

        return Html.Page(context, "Images", @ref, html.ToString());
    }

    /// <summary>Per platform of the backend (and of the image): the variant that would run, or the why-not table.</summary>
    private static async Task<string> PlacementAsync(ImageVariants image, IActionBackend backend, CancellationToken ct)
    {
        var inventory = await backend.GetInventoryAsync(ct);
        var platforms = inventory.Platforms.Select(p => p.Platform).Concat(image.Platforms).Distinct(StringComparer.Ordinal).ToList();
        var html = new StringBuilder("<table id=\"placement\"><thead><tr><th scope=\"col\">Platform</th><th scope=\"col\">Verdict</th></tr></thead><tbody>");
        foreach (var platform in platforms)
        {
            html.Append("<tr data-platform=\"").Append(Html.E(platform)).Append("\"><th scope=\"row\">").Append(Html.E(platform)).Append("</th><td>");
            try
            {
                var decision = PlacementEngine.Place(image, inventory, new PlacementRequest(platform, new ActionPlacement(), new Requirements(0, 0, 0)));
                html.Append("<span class=\"badge ok\">runs</span> the ").Append(Html.E(decision.Variant.Platform)).Append(" variant ").Append(Html.Digest(decision.Variant.Digest))
                    .Append(decision.Platform.Emulated ? " <span class=\"badge busy\">emulated</span>" : " <span class=\"badge idle\">native</span>");
            }
            catch (PlacementException exception)
            {
                html.Append("<span class=\"badge bad\">cannot run</span>")
                    .Append("<details open><summary>Why not</summary>").Append(WhyNotTable.Render(exception.Candidates, exception.Failures)).Append("</details>");
            }

            html.Append("</td></tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>Annotations of the index ("" key) and of each entry (by digest), from the manifest's bytes.</summary>
    private static Dictionary<string, Dictionary<string, string>> Annotations(ReadOnlyMemory<byte>? content)
    {
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        if (content is null)
        {
            return result;
        }

        try
        {
            using var document = JsonDocument.Parse(content.Value);
            result[string.Empty] = Read(document.RootElement);
            if (document.RootElement.TryGetProperty("manifests", out var manifests) && manifests.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in manifests.EnumerateArray())
                {
                    if (entry.TryGetProperty("digest", out var digest) && digest.GetString() is { } key)
                    {
                        result[key] = Read(entry);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON we can read: no annotations shown.
        }

        return result;
    }

    private static Dictionary<string, string> Read(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("annotations", out var annotations) && annotations.ValueKind == JsonValueKind.Object
            ? annotations.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal)
            : [];

    private static string Pairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var html = new StringBuilder();
        foreach (var (key, value) in pairs)
        {
            html.Append("<code>").Append(Html.E(key)).Append("</code>=").Append(Html.E(value)).Append("<br>");
        }

        return html.Length == 0 ? "<span class=\"muted\">none</span>" : html.ToString();
    }
}
