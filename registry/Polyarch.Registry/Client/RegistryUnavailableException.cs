namespace Polyarch.Registry.Client;

/// <summary>The registry could not be reached or kept failing (connection refused, timeouts, 5xx after retries).</summary>
public sealed class RegistryUnavailableException : RegistryException
{
    public RegistryUnavailableException(Uri registry, string reason, Exception? innerException = null)
        : base($"The registry {registry} is unreachable: {reason}. Check that it is running (./scripts/host.sh status) and " +
               "that the address is right; a plain-HTTP registry other than localhost/127.0.0.0/8 must be listed in Registry:InsecureHosts.",
               innerException)
    {
        Registry = registry;
    }

    /// <summary>Creates the error with a fix that fits the failure better than the default advice.</summary>
    public RegistryUnavailableException(Uri registry, string reason, string fix, Exception? innerException)
        : base($"The registry {registry} is unreachable: {reason}. {fix}", innerException)
    {
        Registry = registry;
        Fix = fix;
    }

    /// <summary>The base URL of the registry.</summary>
    public Uri Registry { get; }

    /// <summary>The fix the message names when it is not "start the registry" (a TLS or HTTP/HTTPS mismatch), else null.</summary>
    public string? Fix { get; }
}
