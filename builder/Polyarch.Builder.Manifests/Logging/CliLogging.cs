using System.CommandLine;
using Serilog;
using Serilog.Events;
using Serilog.Core;

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

    /// <summary>
    /// The level of the process's one CLI logger: --verbose Debug, else Warning. A verb that reports its failures itself raises
    /// it (<see cref="RaiseTo"/>) instead of configuring a logger of its own.
    /// </summary>
    public static LoggingLevelSwitch Level { get; } = new(LogEventLevel.Warning);

    /// <summary>
    /// Configures the process's one logger from the global options (Program.cs, once). With <c>--log-format json</c> a verb's
    /// own stderr lines (<c>error: …</c>, <c>warning: …</c>) go through it as well, so every stderr line is one JSON event;
    /// not for <c>serve</c>, which writes its own console (ServiceLogging).
    /// </summary>
    public static LoggerConfiguration Start(System.CommandLine.ParseResult parseResult)
    {
        var verbose = parseResult.GetValue<bool>(VerboseName);
        var format = parseResult.GetValue<LogFormat>(LogFormatName);
        var configuration = Configure(verbose, format: format);
        if (format == LogFormat.Json && parseResult.CommandResult.Command.Name != "serve")
        {
            Console.SetError(new StderrEventWriter(Sink, TimeProvider.System));
        }

        return configuration;
    }

    /// <summary>Raises the level to <paramref name="level"/> unless --verbose lowered it (a verb that reports its failures itself).</summary>
    public static void RaiseTo(LogEventLevel level)
    {
        if (Level.MinimumLevel < level && Level.MinimumLevel >= LogEventLevel.Warning)
        {
            Level.MinimumLevel = level;
        }
    }

    public static LoggerConfiguration Configure(bool verbose, LogEventLevel minimumLevel = LogEventLevel.Warning, LogFormat format = LogFormat.Text)
    {
        var configuration = new LoggerConfiguration().Enrich.FromLogContext();
        if (verbose)
        {
            Level.MinimumLevel = LogEventLevel.Debug;
            configuration
                .MinimumLevel.ControlledBy(Level)
                .MinimumLevel.Override("Microsoft", LogEventLevel.Information);
            return format == LogFormat.Json
                ? configuration.WriteTo.Sink(Sink)
                : configuration.WriteTo.Console(
                    outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}",
                    standardErrorFromLevel: LogEventLevel.Verbose);
        }

        Level.MinimumLevel = minimumLevel;
        configuration
            .MinimumLevel.ControlledBy(Level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Error)
            // Polly logs every attempt (and the last one as an error) with the exception; the registry library says the same in one line.
            .MinimumLevel.Override("Polly", LogEventLevel.Fatal);
        return format == LogFormat.Json
            ? configuration.WriteTo.Sink(Sink)
            : configuration.WriteTo.Console(outputTemplate: "{Level:w}: {Message:lj}{NewLine}", standardErrorFromLevel: LogEventLevel.Verbose);
    }

    // One JSON writer on the process's real stderr, shared by the logger and the verb's own lines (whole lines, never interleaved).
    private static JsonLinesSink Sink => field ??= new JsonLinesSink(Console.Error);
}
