using System.Net.Http.Json;
using System.Text.Json;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Fitness;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Client;

/// <summary>
/// Finds the service a CLI verb should talk to: <c>--url</c>, else <c>POLYARCH_BUILDER_URL</c>, else the <c>serve</c> that runs on
/// the same state directory (its <c>builder/serve.json</c>, confirmed by a short <c>/healthz</c> probe that answers the same
/// instance id). The API key: <c>--api-key-file</c>, else <c>Service:ApiKey</c>, else <c>secrets/builder-api.key</c> when it exists.
/// </summary>
internal static class ServiceDiscovery
{
    public const string UrlVariable = "POLYARCH_BUILDER_URL";

    /// <summary>How long the /healthz probe of a local service may take before the CLI works on its own.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public static async Task<ServiceConnection?> FindAsync(string? url, string? apiKeyFile, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var options = configuration.GetSection(BuilderOptions.SectionName).Get<BuilderOptions>() ?? new BuilderOptions();
        var (key, keySource) = ApiKey(apiKeyFile, configuration, options);
        url = string.IsNullOrWhiteSpace(url) ? Environment.GetEnvironmentVariable(UrlVariable) : url;
        if (!string.IsNullOrWhiteSpace(url))
        {
            if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var given) || given.Scheme is not ("http" or "https"))
            {
                throw new InvalidBuildInputException(
                    $"'{InputText.Printable(url)}' (--url or {UrlVariable}) is not an http(s) URL. Pass the builder service's address, e.g. http://127.0.0.1:5080.");
            }

            return new ServiceConnection(given, key, Explicit: true) { KeySource = keySource };
        }

        if (ServiceEndpointRecord.TryRead(ServiceEndpointFile.PathFor(options)) is not { } record
            || !Uri.TryCreate(record.Url, UriKind.Absolute, out var local))
        {
            return null;
        }

        return await AnswersAsync(local, record.Instance, cancellationToken) ? new ServiceConnection(local, key, Explicit: false) { KeySource = keySource } : null;
    }

    private static async Task<bool> AnswersAsync(Uri url, string instance, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = ProbeTimeout };
        try
        {
            var health = await http.GetFromJsonAsync<JsonElement>(new Uri(url, "/healthz"), cancellationToken);
            return health.ValueKind == JsonValueKind.Object && health.TryGetProperty("instance", out var id) && id.GetString() == instance;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false; // Not running (a stale serve.json) or not answering quickly: the CLI builds on its own.
        }
    }

    private static (string? Key, string Source) ApiKey(string? apiKeyFile, IConfiguration configuration, BuilderOptions options)
    {
        if (!string.IsNullOrWhiteSpace(apiKeyFile))
        {
            try
            {
                var key = File.ReadAllText(apiKeyFile).Trim();
                return key.Length > 0 ? (key, $"the key file {InputText.Printable(apiKeyFile)} (--api-key-file)") : throw new InvalidBuildInputException($"The API key file {InputText.Printable(apiKeyFile)} is empty. Pass the file the service reads (its secrets/builder-api.key).");
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new InvalidBuildInputException($"The API key file {InputText.Printable(apiKeyFile)} cannot be read ({exception.Message}). Pass the file the service reads (its secrets/builder-api.key).", exception);
            }
        }

        if (configuration[$"{BuilderServiceOptions.SectionName}:{nameof(BuilderServiceOptions.ApiKey)}"] is { Length: > 0 } configured)
        {
            return (configured.Trim(), "Service:ApiKey");
        }

        var file = Path.Combine(options.StateDirectory, "secrets", "builder-api.key");
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } found
                ? (found, $"the key file {file}")
                : (null, $"no key (neither --api-key-file nor Service:ApiKey, and no {file})");
        }
        catch (UnauthorizedAccessException)
        {
            return (null, $"no key ({file} cannot be read)"); // Another user's service: the call will say 401 and name --api-key-file.
        }
    }
}
