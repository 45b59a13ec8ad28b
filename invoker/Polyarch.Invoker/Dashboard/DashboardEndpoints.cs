using System.Reflection;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Dashboard.Pages;

namespace Polyarch.Invoker.Dashboard;

/// <summary>The dashboard's services and routes: pages at /, /builds, /images, /activations, /rules; /login; assets and events under /dashboard.</summary>
internal static class DashboardEndpoints
{
    /// <summary>The Content-Security-Policy of every dashboard response: the invoker's own script and style only, nothing inline, no frames.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static IServiceCollection AddPolyarchDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(DashboardOptions.SectionName);
        services.AddOptions<DashboardOptions>().Bind(section).ValidateOnStart();
        var dashboard = section.Get<DashboardOptions>() ?? new DashboardOptions();
        services.AddDashboardAuthentication(dashboard, DashboardAuthentication.StateDirectoryOf(configuration));
        services.AddHttpClient<BuilderApiClient>(client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<WarmContainers>();
        return services;
    }

    public static WebApplication MapPolyarchDashboard(this WebApplication app)
    {
        var pages = app.MapGroup(string.Empty).RequireAuthorization(DashboardAuthentication.Policy).AddEndpointFilter(SecurityHeaders).ExcludeFromDescription();
        pages.MapGet("/", OverviewPage.RenderAsync);
        pages.MapGet("/builds", BuildsPage.ListAsync);
        pages.MapGet("/builds/{id}", BuildsPage.DetailAsync);
        pages.MapGet("/images", ImagesPage.ListAsync);
        pages.MapGet("/images/view", ImagesPage.ViewAsync);
        pages.MapGet("/activations", ActivationsPage.ListAsync);
        pages.MapGet("/activations/{id}", ActivationsPage.DetailAsync);
        pages.MapGet("/rules", RulesPage.RenderAsync);
        pages.MapGet("/workflows", WorkflowsPage.ListAsync);
        pages.MapGet("/workflows/runs/{id}", WorkflowsPage.DetailAsync);
        pages.MapGet("/dashboard/events", DashboardEvents.Stream);
        pages.MapPost("/logout", LoginPage.LogoutAsync);

        var open = app.MapGroup(string.Empty).AllowAnonymous().AddEndpointFilter(SecurityHeaders).ExcludeFromDescription();
        open.MapGet("/login", (HttpContext context, IOptions<Fitness.ServiceOptions> service, string? returnUrl) => LoginPage.Form(context, service, returnUrl));
        open.MapPost("/login", LoginPage.SubmitAsync).DisableAntiforgery();
        open.MapGet("/dashboard/assets/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8"));
        open.MapGet("/dashboard/assets/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8"));
        return app;
    }

    private static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var headers = context.HttpContext.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-store";
        return await next(context);
    }

    private static IResult Asset(string name, string contentType)
    {
        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Polyarch.Invoker.Dashboard.Assets.{name}")
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in polyarch-invoker.");
        return Results.Stream(stream, contentType);
    }
}
