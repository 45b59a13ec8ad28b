using Serilog;
using Serilog.Events;

namespace Polyarch.Builder.Cli;

/// <summary>
/// Logging of a CLI run: warnings as one line each, without stack traces, and not the registry client's
/// per-attempt retry telemetry (the CLI's final one-line error says what failed); <c>--verbose</c> shows everything.
/// </summary>
internal static class CliLogging
{
    public static LoggerConfiguration Configure(LoggerConfiguration configuration, bool verbose) =>
        verbose
            ? configuration
                .MinimumLevel.Debug()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Information)
                .WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose)
            : configuration
                .MinimumLevel.Warning()
                // Polly logs every attempt of a retried call (a warning with the exception each); the outcome reaches the user once, as the error.
                .MinimumLevel.Override("Polly", LogEventLevel.Fatal)
                .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Error)
                .WriteTo.Console(outputTemplate: "{Level:u3} {Message:lj}{NewLine}", standardErrorFromLevel: LogEventLevel.Verbose);
}
