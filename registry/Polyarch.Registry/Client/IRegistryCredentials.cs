namespace Polyarch.Registry.Client;

/// <summary>
/// The credentials the registry client uses, for other consumers of the same registry (e.g. the engine's pulls):
/// Registry:Credentials, then the Docker config's credHelpers, credsStore and auths.
/// </summary>
public interface IRegistryCredentials
{
    /// <summary>The credential for a registry (host[:port], "docker.io" for Docker Hub), or null when no source has one.</summary>
    /// <exception cref="CredentialHelperException">The configured credential helper is missing or failed.</exception>
    public Task<RegistryCredential?> FindAsync(string registry, CancellationToken cancellationToken = default);
}
