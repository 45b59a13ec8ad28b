using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// Which service a CLI verb talks to, as the builder CLI finds its own: <c>--url</c>, else <c>POLYARCH_INVOKER_URL</c>; none means the
/// local state. The API key: <c>--api-key-file</c>, else <c>Service:ApiKey</c>, else the file the service writes
/// (<c>Service:ApiKeyFile</c>, default <c>secrets/invoker-api.key</c> in the state directory) when it exists.
/// </summary>
internal static class ServiceDiscovery
{
    public const string UrlVariable = "POLYARCH_INVOKER_URL";

    public static ServiceConnection? Find(string? url, string? apiKeyFile, IConfiguration configuration)
    {
        url = string.IsNullOrWhiteSpace(url) ? Environment.GetEnvironmentVariable(UrlVariable) : url;
        if (string.IsNullOrWhiteSpace(url))
        {
            return null;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var given) || given.Scheme is not ("http" or "https"))
        {
            throw new FormatException(
                $"'{url}' (--url or {UrlVariable}) is not an http(s) URL. Pass the invoker service's address, e.g. http://127.0.0.1:5090.");
        }

        var (key, source) = ApiKey(apiKeyFile, configuration);
        return new ServiceConnection(given, key, source);
    }

    private static (string? Key, string Source) ApiKey(string? apiKeyFile, IConfiguration configuration)
    {
        if (!string.IsNullOrWhiteSpace(apiKeyFile))
        {
            try
            {
                var key = File.ReadAllText(apiKeyFile).Trim();
                return key.Length > 0
                    ? (key, $"the key file {apiKeyFile} (--api-key-file)")
                    : throw new FormatException($"The API key file {apiKeyFile} (--api-key-file) is empty. Pass the file the service reads (its secrets/invoker-api.key).");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new FormatException($"The API key file {apiKeyFile} (--api-key-file) cannot be read ({exception.Message}). Pass the file the service reads (its secrets/invoker-api.key).", exception);
            }
        }

        if (configuration["Service:ApiKey"] is { Length: > 0 } configured)
        {
            return (configured.Trim(), "Service:ApiKey");
        }

        var file = configuration["Service:ApiKeyFile"] is { Length: > 0 } configuredFile
            ? configuredFile
            : Path.Combine(StateDirectory.Resolve(configuration[$"{InvokerOptions.SectionName}:StateDirectory"]), "secrets", "invoker-api.key");
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } found
                ? (found, $"the key file {file}")
                : (null, $"no key (neither --api-key-file nor Service:ApiKey, and no {file})");
        }
        catch (UnauthorizedAccessException)
        {
            // Another user's service: the call will answer 401 and the message names the file and --api-key-file.
            return (null, $"no key ({file} cannot be read)");
        }
    }
}
