using System.CommandLine;
using Polyarch.Invoker.Hosting.Client;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>
/// How a verb runs: against the <see cref="IInvokerApi"/> its options name (a service, or the local state), printing in its
/// <c>--output</c> format, with every reportable failure turned into the error line, the error document and the exit code.
/// </summary>
internal static class InvokerVerb
{
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        Func<IInvokerApi, OutputFormat, Task<int>> run,
        IReadOnlyDictionary<string, string?>? localOverrides = null,
        bool ownInstance = false)
    {
        var format = FormatOf(parseResult);
        try
        {
            await using var api = InvokerApis.Open(parseResult, localOverrides, ownInstance);
            return await run(api, format);
        }
        catch (Exception exception) when (CliErrors.IsReportable(exception))
        {
            return await CliErrors.ReportAsync(exception, format);
        }
    }

    /// <summary>The verb's <c>--output</c> (table when it has none).</summary>
    public static OutputFormat FormatOf(ParseResult parseResult) =>
        parseResult.CommandResult.Command.Options.Any(o => o.Name == "--output") ? CliOptions.Format(parseResult.GetValue<string>("--output")) : OutputFormat.Table;
}
