using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Polyarch.Invoker.Hosting.Readiness;

/// <summary>
/// The /readyz body — the same shape in both services: <c>{"status": "ready" | "not ready", "notReady": [names],
/// "checks": [{"name", "ready", "detail"}]}</c>; 200 when every dependency answers, else 503.
/// </summary>
internal static class ReadinessResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var checks = report.Entries.Select(e => new
        {
            name = e.Key,
            ready = e.Value.Status == HealthStatus.Healthy,
            detail = e.Value.Description ?? e.Value.Exception?.Message ?? e.Value.Status.ToString(),
        }).ToList();
        var notReady = checks.Where(c => !c.ready).Select(c => c.name).ToList();
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsJsonAsync(new { status = notReady.Count == 0 ? "ready" : "not ready", notReady, checks }, Json);
    }
}
