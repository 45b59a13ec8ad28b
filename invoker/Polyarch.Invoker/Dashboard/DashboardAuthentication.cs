using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Fitness;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// How a browser proves it holds the API key: once, in the login form; then an HTTP-only, SameSite=Strict cookie
/// (Secure on https) of the ASP.NET Core cookie scheme. The dashboard's pages take that cookie or the bearer key
/// (the "Dashboard" policy scheme picks one); the REST API keeps the fallback policy, bearer only.
/// </summary>
internal static class DashboardAuthentication
{
    /// <summary>The cookie scheme.</summary>
    public const string CookieScheme = "DashboardCookie";

    /// <summary>The policy scheme the dashboard's endpoints authenticate with: the bearer key when sent or not required, else the cookie.</summary>
    public const string Scheme = "Dashboard";

    /// <summary>The authorization policy of every dashboard endpoint but the login form and its assets.</summary>
    public const string Policy = "Dashboard";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "polyarch-dashboard";

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services, DashboardOptions dashboard, string stateDirectory)
    {
        // Cookies are encrypted with data-protection keys kept beside the other secrets (0700), so a restart keeps logins.
        var keys = Path.Combine(stateDirectory, "secrets", "dashboard-keys");
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(keys);
        }
        else
        {
            Directory.CreateDirectory(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        services.AddDataProtection().SetApplicationName("polyarch-invoker").PersistKeysToFileSystem(new DirectoryInfo(keys));

        services.AddAuthentication()
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.Path = "/";
                options.ExpireTimeSpan = dashboard.LoginLifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/login";
                options.LogoutPath = "/logout";
                options.AccessDeniedPath = "/login";
                options.Events.OnRedirectToLogin = RedirectBrowsersOnly;
            })
            .AddPolicyScheme(Scheme, "Polyarch dashboard", options =>
                options.ForwardDefaultSelector = context =>
                    !context.RequestServices.GetRequiredService<IOptions<ServiceOptions>>().Value.RequireApiKey
                    || context.Request.Headers.Authorization.Count > 0
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : CookieScheme);

        services.AddAuthorizationBuilder()
            .AddPolicy(Policy, new AuthorizationPolicyBuilder(Scheme).RequireAuthenticatedUser().Build());

        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "polyarch-antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.FormFieldName = "__polyarch_csrf";
            options.HeaderName = null;
        });
        return services;
    }

    /// <summary>A browser asking for a page goes to the login form; any other client gets the API's 401 (it should send the key).</summary>
    private static Task RedirectBrowsersOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return context.Response.WriteAsJsonAsync(new { error = ApiKeyAuthenticationHandler.Message }, Json.InvokerJson.Options);
    }

    /// <summary>The ticket a correct key earns: no secret in it, only the fact.</summary>
    public static AuthenticationProperties Properties(DashboardOptions dashboard, TimeProvider time) =>
        new() { IsPersistent = false, IssuedUtc = time.GetUtcNow(), ExpiresUtc = time.GetUtcNow() + dashboard.LoginLifetime };

    /// <summary>The state directory the invoker uses (for the keys and the builder's key file).</summary>
    public static string StateDirectoryOf(IConfiguration configuration) =>
        StateDirectory.Resolve(configuration[$"{InvokerOptions.SectionName}:StateDirectory"]);
}
