using System.Net;

namespace Polyarch.Invoker.Tests.Fitness;

/// <summary>Issue 11 item 8: what a request puts into the log (path, query) cannot forge log lines with %0A / %0D.</summary>
public sealed class RequestLogEscapingTests
{
    [Fact]
    public async Task Request_WithNewlinesInItsPathAndQuery_WithoutAKey_LogsThemEscaped_OnTheRequestsOwnLines()
    {
        await using var serve = await ServeHost.StartAsync(
            "--Service:RequireApiKey=true",
            $"--Service:ApiKey={ServeHost.Key}",
            "--Serilog:Using:0=Serilog.Sinks.File",
            "--Serilog:WriteTo:0:Name=File",
            "--Serilog:WriteTo:0:Args:path={state}/logs/invoker.log");

        using (var response = await serve.Http.GetAsync("/v1/rules%0AFORGED-LF%20INF%20admin%20logged%20in%0D%0AFORGED-CRLF%1B[31m?q=x%0AFORGED-QUERY"))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await serve.Http.GetAsync("/healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await serve.StopAsync(); // flushes the log file
        var log = await File.ReadAllTextAsync(Path.Combine(serve.StateDirectory, "logs", "invoker.log"));

        var lines = log.Split('\n');
        lines.ShouldContain(l => l.Contains("/v1/rules\\nFORGED-LF INF admin logged in\\r\\nFORGED-CRLF\\u001b[31m", StringComparison.Ordinal), log);
        lines.Where(l => l.Contains("FORGED", StringComparison.Ordinal)).ShouldAllBe(l => l.Contains("/v1/rules\\nFORGED-LF", StringComparison.Ordinal), log);
        log.ShouldNotContain("\u001b");
        log.ShouldNotContain("\r");
    }
}
