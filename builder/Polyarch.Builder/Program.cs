using Polyarch.Builder.Cli;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Hosting.Logging;
using Serilog;

// A manifest verb or `build` becomes the ahead-of-time polyarch-builder-manifest when it is installed next to this binary
// (P14, P4): it hands a build to the running service, and hands it back here when none answers.
NativeManifestTool.ExecIfPresent(args, AppContext.BaseDirectory);
BuildCommand.NoServiceAnswered = NativeManifestTool.TakeNoServiceMarker();
// `serve` is long-running: it re-executes itself once with tiered compilation off (ServeRuntime says why).
ServeRuntime.ExecWithoutTieringIfServe(args);

PhaseTimer.Current = PhaseTimer.FromEnvironment(Environment.GetEnvironmentVariable(PhaseTimer.Variable), Console.Error, TimeProvider.System);
PhaseTimer.Current.Mark("runtime started, Main entered");
var parseResult = BuilderCommandLine.Create().Parse(args);
PhaseTimer.Current.Mark("command line parsed");

// Logs go to stderr so that stdout stays machine-readable (--output json). CLI verbs log warnings as one line each
// (--verbose: everything, with stack traces); `serve` replaces this logger with its own (ServiceLogging).
// Configured once, here, for every verb (--log-format json: every stderr line is one compact JSON event); `build` only
// raises its level (BuildCliServices) instead of configuring a logger of its own.
Log.Logger = CliLogging.Start(parseResult).CreateBootstrapLogger();
PhaseTimer.Current.Mark("logger started");

try
{
    var exitCode = await parseResult.InvokeAsync();
    // Bad usage (unknown verb, missing argument, invalid option) is exit code 2, as the conventions say;
    // System.CommandLine reports it (to stderr, with help) and would return 1.
    return parseResult.Errors.Count > 0 ? 2 : exitCode;
}
finally
{
    await Log.CloseAndFlushAsync();
    PhaseTimer.Current.Mark("logger flushed, exiting");
}

/// <summary>The polyarch-builder entry point (partial so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
