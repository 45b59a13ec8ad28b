using System.CommandLine;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Polyarch.Builder.Hosting.Logging;

/// <summary>
/// How the CLI verbs log (to stderr, so stdout stays machine-readable): warnings as one line each, without stack
/// traces, and no per-attempt lines from Polly (the registry library logs its own retries, one line each); with
/// --verbose, debug level with timestamps, categories and stack traces. The verb's final error line is its own.
/// </summary>
internal static class CliLogging
{
    public const string VerboseName = "--verbose";
    public const string LogFormatName = "--log-format";

    /// <summary>The global --verbose option (every verb accepts it).</summary>
    public static Option<bool> VerboseOption() => new(VerboseName)
    {
        Description = "Log debug detail with timestamps and stack traces (default: warnings only, one line each)",
        Recursive = true,
    };

    /// <summary>The global --log-format option (every verb accepts it; `serve` passes it on as ServiceLog:Format).</summary>
    public static Option<LogFormat> LogFormatOption()
    {
        var option = new Option<LogFormat>(LogFormatName)
        {
            Description = "Log format on stderr: text (for people, the default) or json (Serilog compact JSON, one event per line, for machines)",
            Recursive = true,
            DefaultValueFactory = _ => LogFormat.Text,
        };
        return option;
    }

    public static LoggerConfiguration Configure(bool verbose, LogEventLevel minimumLevel = LogEventLevel.Warning, LogFormat format = LogFormat.Text)
    {
        var configuration = new LoggerConfiguration().Enrich.FromLogContext();
        if (verbose)
        {
            configuration
                .MinimumLevel.Debug()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Information);
            return format == LogFormat.Json
                ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose);
        }

        configuration
            .MinimumLevel.Is(minimumLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Error)
            // Polly logs every attempt (and the last one as an error) with the exception; the registry library says the same in one line.
            .MinimumLevel.Override("Polly", LogEventLevel.Fatal);
        return format == LogFormat.Json
            ? configuration.WriteTo.Console(new CompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration.WriteTo.Console(outputTemplate: "{Level:w}: {Message:lj}{NewLine}", standardErrorFromLevel: LogEventLevel.Verbose);
    }
}
