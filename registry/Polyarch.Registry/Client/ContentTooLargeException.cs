namespace Polyarch.Registry.Client;

/// <summary>A manifest or in-memory blob exceeds the size the client accepts.</summary>
public sealed class ContentTooLargeException : RegistryException
{
    public ContentTooLargeException(Uri url, long limit, long? announced)
        : this(url, limit, announced,
               "it was not read. Manifests over 4 MiB are refused by containerd and distribution alike: check the reference points at a manifest.")
    {
    }

    /// <summary>Content over a limit; <paramref name="consequence"/> says what happened to it and what to do.</summary>
    public ContentTooLargeException(Uri url, long limit, long? announced, string consequence)
        : base($"The content of {url} is larger than {limit} bytes{(announced is { } size ? $" (it announces {size})" : string.Empty)}; {consequence}")
    {
        Url = url;
        Limit = limit;
    }

    /// <summary>Where the content came from.</summary>
    public Uri Url { get; }

    /// <summary>The limit in bytes.</summary>
    public long Limit { get; }
}
