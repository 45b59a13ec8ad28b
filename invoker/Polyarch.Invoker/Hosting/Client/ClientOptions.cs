using System.CommandLine;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary><c>--url</c> and <c>--api-key-file</c>: the options that point a verb at a running invoker service (the builder's verbs take the same).</summary>
internal static class ClientOptions
{
    public const string UrlName = "--url";
    public const string ApiKeyFileName = "--api-key-file";

    public static Option<string?> Url() => new(UrlName)
    {
        Description = $"The invoker service to talk to, e.g. http://127.0.0.1:5090 (default: ${ServiceDiscovery.UrlVariable}; neither: the local state)",
    };

    public static Option<string?> ApiKeyFile() => new(ApiKeyFileName)
    {
        Description = "File holding the service's API key (default: Service:ApiKey, else secrets/invoker-api.key in the state directory)",
    };

    /// <summary>Adds both to a verb (every verb that reads or changes the invoker's state takes them).</summary>
    public static Command AddTo(Command command)
    {
        command.Options.Add(Url());
        command.Options.Add(ApiKeyFile());
        return command;
    }
}
