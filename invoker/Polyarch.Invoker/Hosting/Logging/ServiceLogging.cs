using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Polyarch.Invoker.Hosting.Logging;

/// <summary>
/// The Serilog configuration of `serve`: ASP.NET Core's and the registry client's per-request chatter off, per-activation
/// request lines at Debug, the console, and the rotating file of <see cref="ServiceLogOptions"/>. The "Serilog" configuration
/// section still overrides levels (Serilog:MinimumLevel:Default=Debug brings the per-activation lines back).
/// </summary>
internal static class ServiceLogging
{
    public static LoggerConfiguration Configure(LoggerConfiguration configuration, IConfiguration appConfiguration, ServiceLogOptions options)
    {
        configuration
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            // Every registry request's resilience pipeline (Polly's "Execution attempt") and HttpClient factory lines:
            // thousands per push burst. Serilog:MinimumLevel:Override:Polly=Information (and likewise
            // Microsoft.Extensions.Http, System.Net.Http.HttpClient) brings them back.
            .MinimumLevel.Override("Polly", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Extensions.Http", LogEventLevel.Warning)
            .ReadFrom.Configuration(appConfiguration)
            .Enrich.FromLogContext()
            .Enrich.With<Fitness.ControlCharacterEscaper>(); // after every other enricher: request-derived values cannot forge log lines
        var json = options.Format == LogFormat.Json;
        if (string.IsNullOrWhiteSpace(options.Path))
        {
            return json
                ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose);
        }

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(options.Path))!);
        if (json)
        {
            return configuration
                .WriteTo.Console(new CompactJsonFormatter(), restrictedToMinimumLevel: options.ConsoleLevel, standardErrorFromLevel: LogEventLevel.Verbose)
                .WriteTo.File(
                    new CompactJsonFormatter(),
                    options.Path,
                    fileSizeLimitBytes: options.FileSizeLimitBytes,
                    rollOnFileSizeLimit: true,
                    retainedFileCountLimit: options.RetainedFileCountLimit,
                    hooks: new OwnerOnlyLogFile());
        }

        return configuration
            .WriteTo.Console(restrictedToMinimumLevel: options.ConsoleLevel, standardErrorFromLevel: LogEventLevel.Verbose)
            .WriteTo.File(
                options.Path,
                outputTemplate: "{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                fileSizeLimitBytes: options.FileSizeLimitBytes,
                rollOnFileSizeLimit: true,
                retainedFileCountLimit: options.RetainedFileCountLimit,
                hooks: new OwnerOnlyLogFile());
    }

    /// <summary>
    /// The level of the request log line: errors as errors; calls that happen once per activation or probe
    /// (invocations, /healthz, /readyz, /metrics) at Debug, as the activation record already says what happened;
    /// everything else (actions, rules, webhooks) at Information.
    /// </summary>
    public static LogEventLevel RequestLevel(HttpContext context, double elapsedMs, Exception? exception)
    {
        if (exception is not null || context.Response.StatusCode >= 500)
        {
            return LogEventLevel.Error;
        }

        var path = context.Request.Path.Value ?? "";
        return path.EndsWith("/invocations", StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/v1/activations", StringComparison.OrdinalIgnoreCase)
            || path is "/healthz" or "/readyz" or "/metrics"
            ? LogEventLevel.Debug
            : LogEventLevel.Information;
    }
}
