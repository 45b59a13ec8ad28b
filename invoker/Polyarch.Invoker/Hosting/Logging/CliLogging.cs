using System.CommandLine;
using Serilog;
using Serilog.Events;

namespace Polyarch.Invoker.Hosting.Logging;

/// <summary>
/// How the CLI verbs log (to stderr, so stdout stays machine-readable): warnings as one line each, without stack
/// traces, and no per-attempt lines from Polly (the registry library logs its own retries, one line each); with
/// --verbose, debug level with timestamps, categories and stack traces. The verb's final error line is its own.
/// </summary>
internal static class CliLogging
{
    public const string VerboseName = "--verbose";

    /// <summary>The global --verbose option (every verb accepts it).</summary>
    public static Option<bool> VerboseOption() => new(VerboseName)
    {
        Description = "Log debug detail with timestamps and stack traces (default: warnings only, one line each)",
        Recursive = true,
    };

    public static LoggerConfiguration Configure(bool verbose, LogEventLevel minimumLevel = LogEventLevel.Warning)
    {
        var configuration = new LoggerConfiguration().Enrich.FromLogContext();
        if (verbose)
        {
            return configuration
                .MinimumLevel.Debug()
                .MinimumLevel.Override("Microsoft", LogEventLevel.Information)
                .WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose);
        }

        return configuration
            .MinimumLevel.Is(minimumLevel)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Error)
            // Polly logs every attempt (and the last one as an error) with the exception; the registry library says the same in one line.
            .MinimumLevel.Override("Polly", LogEventLevel.Fatal)
            .WriteTo.Console(outputTemplate: "{Level:w}: {Message:lj}{NewLine}", standardErrorFromLevel: LogEventLevel.Verbose);
    }
}
