using System.ComponentModel.DataAnnotations;

namespace Polyarch.Registry.Client;

/// <summary>Settings of the registry client (section "Registry"), validated at start-up (numbers by DataAnnotations, timeouts by <see cref="RegistryOptionsValidator"/>).</summary>
public sealed class RegistryOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Registry";

    /// <summary>Registries (host or host:port) spoken to over plain HTTP besides localhost and 127.0.0.0/8.</summary>
    /// <value>Empty by default.</value>
    public List<string> InsecureHosts { get; } = [];

    /// <summary>
    /// PEM CA certificates trusted for one registry host each, besides the system's (host name → file, e.g.
    /// <c>Registry:CaFiles:reg.lan=/etc/docker/certs.d/reg.lan:5443/ca.crt</c>); a CA is never trusted for another host.
    /// Keyed by host name without port: configuration keys cannot hold a ':'.
    /// </summary>
    /// <value>Empty by default.</value>
    public Dictionary<string, string> CaFiles { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Credentials per registry host[:port]; they win over ~/.docker/config.json.</summary>
    /// <value>Empty by default.</value>
    public Dictionary<string, RegistryCredential> Credentials { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether to read credentials from the Docker config file (auths).</summary>
    /// <value>True by default.</value>
    public bool UseDockerConfig { get; set; } = true;

    /// <summary>The Docker config file; null means $DOCKER_CONFIG/config.json, else ~/.docker/config.json.</summary>
    /// <value>Null by default.</value>
    public string? DockerConfigPath { get; set; }

    /// <summary>A directory searched for docker-credential-NAME helpers before PATH (credsStore, credHelpers).</summary>
    /// <value>Null by default (PATH only).</value>
    public string? CredentialHelperDirectory { get; set; }

    /// <summary>How long one credential helper call may take before it is stopped and reported.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan CredentialHelperTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a tag→digest answer is trusted before it is checked again (content by digest is kept).</summary>
    /// <value>2 minutes by default.</value>
    public TimeSpan TagCacheDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The bytes of manifests and small blobs kept in memory, by digest.</summary>
    /// <value>64 MiB by default.</value>
    [Range(0, long.MaxValue)]
    public long CacheSizeLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Timeout of one attempt of a manifest, tag or auth request.</summary>
    /// <value>10 seconds by default.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of a manifest request including its retries.</summary>
    /// <value>30 seconds by default.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Timeout of one attempt of a blob request (layers can be large).</summary>
    /// <value>5 minutes by default.</value>
    public TimeSpan BlobAttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Timeout of a blob request including its retries.</summary>
    /// <value>30 minutes by default.</value>
    public TimeSpan BlobTotalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Retries after a transient failure (5xx, 408, 429, connection errors).</summary>
    /// <value>3 by default.</value>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially with jitter. A Retry-After header wins.</summary>
    /// <value>1 second by default.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After updating a referrers tag schema index (registries without the referrers API), how long to wait before checking
    /// once more that the entry is still listed: another client that read the index before this update and writes it after
    /// the first check drops the entry, and is caught by this second look if its read-to-write took less than this delay.
    /// Zero skips the second look (one process per registry, or a registry with the referrers API).
    /// </summary>
    /// <value>200 milliseconds by default.</value>
    public TimeSpan ReferrersSettleDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest blob read into memory (image configs are small; layers are mounted, not read).</summary>
    /// <value>64 MiB by default.</value>
    [Range(1, long.MaxValue)]
    public long MaxInMemoryBlobBytes { get; set; } = 64L * 1024 * 1024;
}
