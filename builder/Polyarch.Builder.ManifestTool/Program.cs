using Polyarch.Builder;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Hosting.Logging;
using Polyarch.Builder.Manifests;
using Serilog;

// The one-shot verbs ahead of time: `manifest …` and the hand-off of `build` to a running `serve` — the same options, output,
// logging and exit codes as the managed CLI (they are the same code: builder/Polyarch.Builder.Manifests and
// builder/Polyarch.Builder.Client); polyarch-builder execs this binary with its own arguments. A build no service takes goes
// back to polyarch-builder (NativeManifestTool.HandBack), which builds in-process.
// Installed, this binary is also `polyarch-builder` itself (the front door): every other verb goes on to the managed CLI.
if (NativeManifestTool.ExecManagedUnlessNative(args, AppContext.BaseDirectory) is { } cannotExec)
{
    Console.Error.WriteLine($"error: {cannotExec}");
    return 3;
}

PhaseTimer.Current = PhaseTimer.FromEnvironment(Environment.GetEnvironmentVariable(PhaseTimer.Variable), Console.Error, TimeProvider.System);
PhaseTimer.Current.Mark("native tool started");
var parseResult = NativeCommandLine.Create(HandBackAsync).Parse(args);

Log.Logger = CliLogging.Start(parseResult).CreateLogger();

try
{
    var exitCode = await parseResult.InvokeAsync();
    return parseResult.Errors.Count > 0 ? ManifestExitCodes.BadInput : exitCode;
}
finally
{
    await Log.CloseAndFlushAsync();
    PhaseTimer.Current.Mark("logger flushed, exiting");
}

Task<int> HandBackAsync(BuildCommandInput input, bool noService, bool verbose, CancellationToken cancellationToken)
{
    Log.CloseAndFlush();
    var message = NativeManifestTool.HandBack(args, AppContext.BaseDirectory, noService);
    BuildReport.WriteError(Console.Out, Console.Error, message, 3, input.Format);
    return Task.FromResult(3);
}
