using Polyarch.Builder.Hosting.Logging;
using Polyarch.Builder.Manifests;
using Serilog;

// `polyarch-builder manifest …` ahead of time: the same verbs, options, output, logging and exit codes as the managed CLI
// (they are the same code, builder/Polyarch.Builder.Manifests); polyarch-builder execs this binary with its own arguments.
var parseResult = ManifestCommandLine.Create().Parse(args);

Log.Logger = CliLogging.Configure(
        parseResult.GetValue<bool>(CliLogging.VerboseName),
        format: parseResult.GetValue<LogFormat>(CliLogging.LogFormatName))
    .CreateLogger();

try
{
    var exitCode = await parseResult.InvokeAsync();
    return parseResult.Errors.Count > 0 ? ManifestExitCodes.BadInput : exitCode;
}
finally
{
    await Log.CloseAndFlushAsync();
}
