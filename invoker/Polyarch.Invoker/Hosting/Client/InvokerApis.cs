using System.CommandLine;
using Polyarch.Invoker.Hosting.Cli;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>Opens the <see cref="IInvokerApi"/> a verb runs against: the service <c>--url</c> / <c>POLYARCH_INVOKER_URL</c> names, else the local state.</summary>
internal static class InvokerApis
{
    /// <param name="parseResult">The verb's parse result (its <c>--url</c> and <c>--api-key-file</c>, when it has them).</param>
    /// <param name="localOverrides">Configuration a local run takes from the verb's options (--backend, --context); a service has its own.</param>
    /// <param name="ownInstance">A local run as its own short-lived instance whose containers go when it ends (invoke).</param>
    public static IInvokerApi Open(ParseResult parseResult, IReadOnlyDictionary<string, string?>? localOverrides = null, bool ownInstance = false)
    {
        var connection = ServiceDiscovery.Find(Value(parseResult, ClientOptions.UrlName), Value(parseResult, ClientOptions.ApiKeyFileName), CliHost.Configuration());
        if (connection is null)
        {
            return new LocalInvokerApi(ownInstance ? CliHost.CreateForInvoke(localOverrides) : CliHost.Create(localOverrides), ownInstance);
        }

        if (localOverrides is { Count: > 0 })
        {
            throw new FormatException(
                $"--backend and --context choose this machine's backend; the invoker service at {connection.Url} runs on its own (Invoker:Backend). Leave them out, or leave out --url / {ServiceDiscovery.UrlVariable}.");
        }

        return new HttpInvokerApi(connection);
    }

    private static string? Value(ParseResult parseResult, string name) =>
        parseResult.CommandResult.Command.Options.Any(o => o.Name == name) ? parseResult.GetValue<string?>(name) : null;
}
