using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;

namespace Polyarch.Registry.Auth;

/// <summary>Credentials per registry: from options first, then from the Docker config file's auths.</summary>
internal sealed class CredentialStore
{
    private readonly Dictionary<string, RegistryCredential> _configured;
    private readonly Lazy<Dictionary<string, RegistryCredential>> _dockerConfig;

    public CredentialStore(IOptions<RegistryOptions> options, ILogger<CredentialStore> logger)
    {
        var value = options.Value;
        _configured = new Dictionary<string, RegistryCredential>(value.Credentials, StringComparer.OrdinalIgnoreCase);
        var path = value.DockerConfigPath ?? DefaultDockerConfigPath();
        _dockerConfig = new Lazy<Dictionary<string, RegistryCredential>>(
            () => value.UseDockerConfig ? ReadDockerConfig(path, logger) : new(StringComparer.OrdinalIgnoreCase));
    }

    public RegistryCredential? Find(string registry) =>
        _configured.GetValueOrDefault(registry)
        ?? _dockerConfig.Value.GetValueOrDefault(registry)
        ?? (registry is "docker.io" or "registry-1.docker.io" ? _dockerConfig.Value.GetValueOrDefault("https://index.docker.io/v1/") : null);

    private static string DefaultDockerConfigPath()
    {
        var directory = Environment.GetEnvironmentVariable("DOCKER_CONFIG")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        return Path.Combine(directory, "config.json");
    }

    private static Dictionary<string, RegistryCredential> ReadDockerConfig(string path, ILogger logger)
    {
        var result = new Dictionary<string, RegistryCredential>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(path))
        {
            return result;
        }

        try
        {
            var file = JsonSerializer.Deserialize(File.ReadAllBytes(path), DockerConfigJsonContext.Default.DockerConfigFile);
            foreach (var (key, entry) in file?.Auths ?? new Dictionary<string, DockerAuthEntry>())
            {
                if (ToCredential(entry) is { } credential)
                {
                    // Keys may be URLs ("https://reg.lan:5000/v1/"); the client looks registries up by host[:port].
                    var host = Uri.TryCreate(key, UriKind.Absolute, out var uri) && key.Contains("://", StringComparison.Ordinal) && uri.Host != "index.docker.io"
                        ? uri.Authority
                        : key;
                    result[host] = credential;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException or FormatException)
        {
            RegistryLog.DockerConfigUnreadable(logger, path, exception.Message);
        }

        return result;
    }

    private static RegistryCredential? ToCredential(DockerAuthEntry entry)
    {
        if (!string.IsNullOrEmpty(entry.Username))
        {
            return new RegistryCredential { Username = entry.Username, Password = entry.Password ?? string.Empty };
        }

        if (string.IsNullOrEmpty(entry.Auth))
        {
            return null;
        }

        var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(entry.Auth));
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : new RegistryCredential { Username = decoded[..colon], Password = decoded[(colon + 1)..] };
    }
}
