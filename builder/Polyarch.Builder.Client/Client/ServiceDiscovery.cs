using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Errors;
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

    /// <summary>BuilderOptions.StateDirectory's configuration key (this library knows no BuilderOptions; a test holds the two equal).</summary>
    public const string StateDirectoryKey = "Builder:StateDirectory";

    /// <summary>BuilderServiceOptions.ApiKey's configuration key (likewise).</summary>
    public const string ApiKeyKey = "Service:ApiKey";

    /// <summary>How long the /healthz probe of a local service may take before the CLI works on its own.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>The second, patient probe of a service whose process is alive but did not answer the first (a loaded machine).</summary>
    public static readonly TimeSpan LoadedProbeTimeout = TimeSpan.FromSeconds(15);

    public static Task<ServiceConnection?> FindAsync(string? url, string? apiKeyFile, IConfiguration configuration, CancellationToken cancellationToken) =>
        FindAsync(url, apiKeyFile, configuration, IsAlive, cancellationToken);

    /// <summary><see cref="FindAsync(string?, string?, IConfiguration, CancellationToken)"/> with the liveness check of the recorded pid given (tests).</summary>
    internal static async Task<ServiceConnection?> FindAsync(string? url, string? apiKeyFile, IConfiguration configuration, Func<int, bool> isAlive, CancellationToken cancellationToken)
    {
        // Only the state directory is needed here: one key, not the reflection binder over all of BuilderOptions (P4).
        var stateDirectory = configuration[StateDirectoryKey] ?? StatePaths.DefaultStateDirectory();
        var (key, keySource) = ApiKey(apiKeyFile, configuration, stateDirectory);
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

        if (ServiceEndpointRecord.TryRead(Path.Combine(StatePaths.BuilderDirectory(stateDirectory), ServiceEndpointRecord.FileName)) is not { } record
            || !Uri.TryCreate(record.Url, UriKind.Absolute, out var local))
        {
            return null;
        }

        PhaseTimer.Current.Mark("serve.json read");
        // One handler for the probe, the submission and the events: the probe's keep-alive connection carries them all. The
        // probe's own HttpClient has no Authorization header: the key goes out only once the instance id is confirmed.
        var handler = new SocketsHttpHandler();
        try
        {
            if (await AnswersAsync(handler, local, record, isAlive, cancellationToken))
            {
                return new ServiceConnection(local, key, Explicit: false) { KeySource = keySource, Handler = handler };
            }
        }
        catch
        {
            handler.Dispose();
            throw;
        }

        handler.Dispose();
        return null;
    }

    /// <summary>
    /// A refused connection or another instance means a stale serve.json: the CLI works on its own at once. A probe that times
    /// out while the recorded process is alive is the service under load; building beside it would run the same work twice
    /// on one state directory, so the CLI asks once more and waits up to <see cref="LoadedProbeTimeout"/>. The process is
    /// looked up only then: a service that answers (the usual case) costs no look-up.
    /// </summary>
    private static async Task<bool> AnswersAsync(HttpMessageHandler handler, Uri url, ServiceEndpointRecord record, Func<int, bool> isAlive, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var http = new HttpClient(handler, disposeHandler: false) { Timeout = attempt == 0 ? ProbeTimeout : LoadedProbeTimeout };
            try
            {
                using var response = await http.GetAsync(new Uri(url, "/healthz"), cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                using var health = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                return health.RootElement.ValueKind == JsonValueKind.Object
                    && health.RootElement.TryGetProperty("instance", out var id)
                    && id.ValueKind == JsonValueKind.String
                    && id.GetString() == record.Instance;
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Timed out: slow, perhaps not gone. A live process gets the longer probe, once; otherwise the CLI works alone.
                if (attempt > 0 || !isAlive(record.Pid))
                {
                    return false;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or JsonException)
            {
                return false; // Not running (a stale serve.json): the CLI builds on its own.
            }
        }
    }

    /// <summary>Whether a process with <paramref name="pid"/> runs (the builder's warm-up asks it of leftover directories too).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static (string? Key, string Source) ApiKey(string? apiKeyFile, IConfiguration configuration, string stateDirectory)
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

        if (configuration[ApiKeyKey] is { Length: > 0 } configured)
        {
            return (configured.Trim(), "Service:ApiKey");
        }

        var file = Path.Combine(stateDirectory, "secrets", "builder-api.key");
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
