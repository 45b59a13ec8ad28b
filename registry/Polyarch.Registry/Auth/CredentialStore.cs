using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Auth;

/// <summary>
/// Credentials per registry, looked up as docker/cli does: Registry:Credentials first; then the Docker config file's
/// credHelpers entry for the registry (that helper only), else its credsStore helper, then its auths entry.
/// The file is read at every lookup (lookups happen on 401 challenges only), so a later `docker login` is seen.
/// </summary>
internal sealed class CredentialStore : IRegistryCredentials
{
    // Docker Hub's key in config.json and its credential helpers (docker/cli registry.IndexServer).
    private const string DockerHubServer = "https://index.docker.io/v1/";

    private readonly Dictionary<string, RegistryCredential> _configured;
    private readonly bool _useDockerConfig;
    private readonly DockerConfigLocation _location;
    private readonly CredentialHelper _helper;
    private readonly ILogger<CredentialStore> _logger;

    public CredentialStore(IOptions<RegistryOptions> options, CredentialHelper helper, ILogger<CredentialStore> logger)
    {
        var value = options.Value;
        _configured = new Dictionary<string, RegistryCredential>(value.Credentials, StringComparer.OrdinalIgnoreCase);
        _useDockerConfig = value.UseDockerConfig;
        _location = DockerConfigLocation.Resolve(value.DockerConfigPath, Environment.GetEnvironmentVariable,
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
        _helper = helper;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken = default) =>
        (await LookupAsync(registry, cancellationToken).ConfigureAwait(false)).Credential;

    public async Task<CredentialLookup> LookupAsync(string registry, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        var lookup = await LookupCoreAsync(registry, tried, cancellationToken).ConfigureAwait(false);
        if (lookup.Source is { } source)
        {
            RegistryLog.CredentialsFound(_logger, registry, source);
        }

        return lookup;
    }

    private async Task<CredentialLookup> LookupCoreAsync(string registry, List<string> tried, CancellationToken cancellationToken)
    {
        if (_configured.TryGetValue(registry, out var configured))
        {
            return new CredentialLookup(registry, configured, "Registry:Credentials", tried);
        }

        tried.Add("Registry:Credentials (no entry)");
        if (!_useDockerConfig)
        {
            tried.Add("the Docker config file (not read: Registry:UseDockerConfig is false)");
            return new CredentialLookup(registry, null, null, tried);
        }

        if (Read(tried) is not { } file)
        {
            return new CredentialLookup(registry, null, null, tried);
        }

        var hub = IsDockerHub(registry);
        var serverUrl = hub ? DockerHubServer : registry;
        if (Lookup(file.CredHelpers, registry, hub) is { Length: > 0 } helperName)
        {
            var source = $"credHelpers[\"{registry}\"] of {_location.Path}";
            var fromHelper = await _helper.GetAsync(helperName, serverUrl, registry, source, cancellationToken).ConfigureAwait(false);
            tried.Add($"credHelpers of {_location}: docker-credential-{helperName} (no credentials for {serverUrl})");
            return new CredentialLookup(registry, fromHelper, fromHelper is null ? null : $"docker-credential-{helperName} ({source})", tried);
        }

        tried.Add($"credHelpers of {_location} (no entry for {registry})");
        if (!string.IsNullOrEmpty(file.CredsStore))
        {
            var source = $"credsStore of {_location.Path}";
            if (await _helper.GetAsync(file.CredsStore, serverUrl, registry, source, cancellationToken).ConfigureAwait(false) is { } fromStore)
            {
                return new CredentialLookup(registry, fromStore, $"docker-credential-{file.CredsStore} ({source})", tried);
            }

            tried.Add($"credsStore of {_location}: docker-credential-{file.CredsStore} (no credentials for {serverUrl})");
        }
        else
        {
            tried.Add($"credsStore of {_location} (not set)");
        }

        if (Lookup(file.Auths, registry, hub) is { } entry && ToCredential(entry, tried) is { } fromAuths)
        {
            return new CredentialLookup(registry, fromAuths, $"auths of {_location.Path}", tried);
        }

        tried.Add($"auths of {_location} (no credentials for {registry})");
        return new CredentialLookup(registry, null, null, tried);
    }

    private DockerConfigFile? Read(List<string> tried)
    {
        if (!File.Exists(_location.Path))
        {
            tried.Add($"the Docker config file {_location} (does not exist)");
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(_location.Path), DockerConfigJsonContext.Default.DockerConfigFile)
                ?? new DockerConfigFile(null, null, null);
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            RegistryLog.DockerConfigUnreadable(_logger, _location.Path, exception.Message);
            tried.Add($"the Docker config file {_location} (unreadable: {exception.Message})");
            return null;
        }
    }

    private static bool IsDockerHub(string registry) =>
        registry is ImageReference.DockerHub or "registry-1.docker.io" or "index.docker.io";

    // Keys may be URLs ("https://reg.lan:5000/v1/", "http://reg.lan:5000") or host[:port], as docker/cli accepts them.
    private static T? Lookup<T>(IReadOnlyDictionary<string, T>? entries, string registry, bool hub)
    {
        if (entries is null)
        {
            return default;
        }

        foreach (var (key, value) in entries)
        {
            var host = key.Contains("://", StringComparison.Ordinal) && Uri.TryCreate(key, UriKind.Absolute, out var uri) ? uri.Authority : key.TrimEnd('/');
            if (string.Equals(host, registry, StringComparison.OrdinalIgnoreCase) || (hub && IsDockerHub(host)))
            {
                return value;
            }
        }

        return default;
    }

    private static RegistryCredential? ToCredential(DockerAuthEntry entry, List<string> tried)
    {
        string? username = entry.Username;
        var password = entry.Password ?? string.Empty;
        if (string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(entry.Auth))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                (username, password) = colon < 0 ? (null, string.Empty) : (decoded[..colon], decoded[(colon + 1)..]);
            }
            catch (FormatException)
            {
                tried.Add("an auths entry whose \"auth\" is not base64 (ignored)");
            }
        }

        if (!string.IsNullOrEmpty(entry.IdentityToken))
        {
            return new RegistryCredential { Username = username ?? string.Empty, IdentityToken = entry.IdentityToken };
        }

        return string.IsNullOrEmpty(username) ? null : new RegistryCredential { Username = username, Password = password };
    }
}
