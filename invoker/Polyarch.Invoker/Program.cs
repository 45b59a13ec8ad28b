using Polyarch.Invoker.Hosting;
using Serilog;
using Serilog.Events;

// Logs go to stderr so that stdout stays machine-readable (--output json).
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .Enrich.FromLogContext()
    .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose)
    .CreateBootstrapLogger();

try
{
    var parseResult = InvokerCommandLine.Create().Parse(args);
    var exitCode = await parseResult.InvokeAsync();
    // Bad usage (unknown verb, missing argument, invalid option) is exit code 2, as the conventions say;
    // System.CommandLine reports it (to stderr, with help) and would return 1.
    return parseResult.Errors.Count > 0 ? 2 : exitCode;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The polyarch-invoker entry point (partial so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
