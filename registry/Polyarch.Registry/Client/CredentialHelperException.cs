namespace Polyarch.Registry.Client;

/// <summary>A docker-credential-helper named by the Docker config (credsStore or credHelpers) is missing or failed.</summary>
public sealed class CredentialHelperException : RegistryException
{
    public CredentialHelperException(string helper, string registry, string reason, string fix, Exception? innerException = null)
        : base($"The credential helper {helper} (for {registry}) {reason}. {fix}", innerException)
    {
        Helper = helper;
        Registry = registry;
    }

    /// <summary>The helper's executable name, docker-credential-NAME.</summary>
    public string Helper { get; }

    /// <summary>The registry whose credentials were asked for.</summary>
    public string Registry { get; }
}
