using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Fitness;

namespace Polyarch.Invoker.Dashboard.Pages;

/// <summary>
/// /login — a form taking the API key (POST, antiforgery token); a correct key earns the dashboard cookie, a wrong one
/// a 401 and the same form. The key itself is never stored in the cookie, logged or echoed.
/// </summary>
internal static partial class LoginPage
{
    public const string KeyField = "key";

    public static IResult Form(HttpContext context, IOptions<ServiceOptions> service, string? returnUrl = null, string? error = null)
    {
        if (!service.Value.RequireApiKey)
        {
            return Html.Page(context, "Overview", "Sign in", "<p>This invoker asks for no API key (Service:RequireApiKey=false): <a href=\"/\">open the dashboard</a>.</p>");
        }

        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        var body = (error is null ? string.Empty : Html.Error(error)) +
            "<form class=\"login\" method=\"post\" action=\"/login\">" +
            $"<input type=\"hidden\" name=\"{Html.E(tokens.FormFieldName)}\" value=\"{Html.E(tokens.RequestToken)}\">" +
            $"<input type=\"hidden\" name=\"returnUrl\" value=\"{Html.E(Local(returnUrl))}\">" +
            $"<label for=\"key\">API key (secrets/invoker-api.key in the invoker's state directory, or Service:ApiKey)<input id=\"key\" name=\"{KeyField}\" type=\"password\" autocomplete=\"current-password\" required></label>" +
            "<button type=\"submit\">Sign in</button></form>";
        return Html.Page(context, "Overview", "Sign in", body, signedIn: false);
    }

    public static async Task<IResult> SubmitAsync(
        HttpContext context, IAntiforgery antiforgery, ApiKey key, IOptions<ServiceOptions> service, IOptions<DashboardOptions> dashboard, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(LoginPage).FullName!);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            LogRefused(logger, "missing or invalid antiforgery token");
            context.Response.StatusCode = 400;
            return Form(context, service, error: "The form expired or did not come from this dashboard: sign in again.");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = Local(form["returnUrl"].ToString());
        if (!service.Value.RequireApiKey)
        {
            return Results.LocalRedirect(returnUrl);
        }

        var presented = form[KeyField].ToString();
        if (presented.Length == 0 || !key.IsAuthorized("Bearer " + presented))
        {
            LogRefused(logger, "wrong API key");
            context.Response.StatusCode = 401;
            return Form(context, service, returnUrl, "That is not this invoker's API key. It is in secrets/invoker-api.key under the state directory (or Service:ApiKey).");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "api-key")], DashboardAuthentication.CookieScheme);
        await context.SignInAsync(DashboardAuthentication.CookieScheme, new ClaimsPrincipal(identity), DashboardAuthentication.Properties(dashboard.Value, time));
        LogSignedIn(logger);
        return Results.LocalRedirect(returnUrl);
    }

    public static async Task<IResult> LogoutAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Results.BadRequest();
        }

        await context.SignOutAsync(DashboardAuthentication.CookieScheme);
        return Results.LocalRedirect("/login");
    }

    /// <summary>Only a path on this site (no open redirect).</summary>
    private static string Local(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";

    [LoggerMessage(EventId = 8211, Level = LogLevel.Warning, Message = "Dashboard sign-in refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 8212, Level = LogLevel.Information, Message = "Dashboard sign-in with the API key")]
    private static partial void LogSignedIn(ILogger logger);
}
