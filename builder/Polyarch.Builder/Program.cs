using Polyarch.Builder.Hosting;
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
    return await BuilderCommandLine.Create().Parse(args).InvokeAsync();
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>The polyarch-builder entry point (partial so tests can host it with WebApplicationFactory).</summary>
public partial class Program;
