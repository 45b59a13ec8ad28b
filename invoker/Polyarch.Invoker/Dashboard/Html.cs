using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Polyarch.Invoker.Dashboard;

/// <summary>Server-rendered HTML: every value is encoded here; the layout links only the invoker's own CSS and JS.</summary>
internal static class Html
{
    public static readonly string[] Sections = ["Overview", "Builds", "Images", "Activations", "Rules", "Workflows"];

    public static string E(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    public static string Url(string? value) => Uri.EscapeDataString(value ?? string.Empty);

    public static string Ms(long? ms) => ms is null ? "–" : ms < 10_000 ? $"{ms.Value.ToString(CultureInfo.InvariantCulture)} ms" : $"{(ms.Value / 1000.0).ToString("0.0", CultureInfo.InvariantCulture)} s";

    public static string Bytes(long? bytes) => bytes switch
    {
        null => "–",
        < 1024 => $"{bytes.Value.ToString(CultureInfo.InvariantCulture)} B",
        < 1024 * 1024 => $"{(bytes.Value / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} KiB",
        < 1024L * 1024 * 1024 => $"{(bytes.Value / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} MiB",
        _ => $"{(bytes.Value / 1024.0 / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture)} GiB",
    };

    public static string Time(DateTimeOffset? time) =>
        time is null || time == DateTimeOffset.MinValue ? "–" : time.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>sha256:0123456789ab — the short form, the whole digest in a title.</summary>
    public static string Digest(string? digest) =>
        string.IsNullOrEmpty(digest) ? "–" : $"<code class=\"digest\" title=\"{E(digest)}\">{E(digest.Length > 19 ? digest[..19] : digest)}</code>";

    /// <summary>A status badge whose text says the status (colour is never the only sign).</summary>
    public static string Badge(string status) => $"<span class=\"badge {Css(status)}\">{E(status)}</span>";

    public static string Css(string status) => status switch
    {
        "success" or "succeeded" => "ok",
        "failed" or "application error" or "action developer error" or "system error" => "bad",
        "running" or "queued" or "pending" => "busy",
        "cancelled" or "skipped" => "idle",
        _ => "idle",
    };

    public static IResult Page(HttpContext context, string section, string title, string body, bool signedIn = true)
    {
        var html = new StringBuilder(body.Length + 2048);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Polyarch</title>")
            .Append("<link rel=\"stylesheet\" href=\"/dashboard/assets/dashboard.css\">")
            .Append("<script src=\"/dashboard/assets/dashboard.js\" defer></script></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a>")
            .Append("<header class=\"top\"><span class=\"brand\">Polyarch</span>");
        if (signedIn)
        {
            html.Append("<nav aria-label=\"Sections\"><ul>");
            foreach (var name in Sections)
            {
                var href = name == "Overview" ? "/" : "/" + name.ToLowerInvariant();
                html.Append("<li><a href=\"").Append(href).Append('"').Append(name == section ? " aria-current=\"page\"" : string.Empty)
                    .Append('>').Append(name).Append("</a></li>");
            }

            html.Append("</ul></nav>");
            if (context.User.Identity?.AuthenticationType == DashboardAuthentication.CookieScheme)
            {
                html.Append(LogoutForm(context));
            }
        }

        html.Append("</header><main id=\"main\"><h1>").Append(E(title)).Append("</h1>").Append(body)
            .Append("</main><footer><p id=\"live-status\" role=\"status\" aria-live=\"polite\"></p></footer></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    public static string Error(string message) => $"<p class=\"error\" role=\"alert\">{E(message)}</p>";

    private static string LogoutForm(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<Microsoft.AspNetCore.Antiforgery.IAntiforgery>();
        var tokens = antiforgery.GetAndStoreTokens(context);
        return $"<form class=\"logout\" method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"{E(tokens.FormFieldName)}\" value=\"{E(tokens.RequestToken)}\"><button type=\"submit\">Sign out</button></form>";
    }
}
