using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Polyarch.Builder.Hosting.Logging;

/// <summary>
/// The Serilog configuration of `serve`: ASP.NET Core's and the registry client's per-request chatter off, the console,
/// and the rotating file of <see cref="ServiceLogOptions"/>. The "Serilog" configuration section still overrides levels.
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
}
