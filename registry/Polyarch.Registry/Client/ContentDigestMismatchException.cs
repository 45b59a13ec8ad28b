using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>Content read from a registry does not hash to the digest it was asked for or announced with.</summary>
public sealed class ContentDigestMismatchException : RegistryException
{
    public ContentDigestMismatchException(Uri url, Digest expected, Digest actual, string what)
        : base($"The content of {url} does not match its digest: {what} {expected}, but the bytes hash to {actual}. " +
               "The registry or a proxy altered it; nothing was used. Retry, and if it persists check the registry's storage.")
    {
        Url = url;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Where the content came from.</summary>
    public Uri Url { get; }

    /// <summary>The digest the content should have.</summary>
    public Digest Expected { get; }

    /// <summary>The digest of the bytes received.</summary>
    public Digest Actual { get; }
}
