using System.CommandLine;
using Polyarch.Builder.Client;

namespace Polyarch.Builder.Cli;

/// <summary>The options that point a CLI verb at a running builder service.</summary>
internal static class ServiceOptions
{
    public static Option<string?> Url() => new("--url")
    {
        Description = $"The builder service to talk to (default: ${ServiceDiscovery.UrlVariable}, else the `serve` running on this state directory)",
    };

    public static Option<string?> ApiKeyFile() => new("--api-key-file")
    {
        Description = "File holding the service's API key (default: Service:ApiKey, else secrets/builder-api.key in the state directory)",
    };
}
