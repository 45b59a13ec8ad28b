using System.Net;

namespace Polyarch.Testing;

/// <summary>How <see cref="RegistryInstance"/> starts a registry: the project's configuration by default, changed by these.</summary>
public sealed record RegistryLaunch
{
    /// <summary>distribution's REGISTRY_* variables that override configuration keys (docs: "Override specific configuration options").</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A configuration file in place of registry/distribution/config.yml, or <c>null</c>.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Whether the registry serves TLS (the readiness probe then speaks https and accepts any certificate).</summary>
    public bool Tls { get; init; }

    /// <summary>What /v2/ answers once the registry is up (401 when it demands authentication).</summary>
    public HttpStatusCode ReadyStatus { get; init; } = HttpStatusCode.OK;

    /// <summary>The registry's name in error messages.</summary>
    public string Description { get; init; } = "test registry";
}
