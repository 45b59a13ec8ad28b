namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>One runnable variant of the image: platform ("linux/arm64"), child manifest digest and config labels.</summary>
internal sealed record PodVariant(string Platform, string Digest, IReadOnlyDictionary<string, string> Labels)
{
    public string Os => Platform.Split('/')[0];

    public string Architecture => Platform.Split('/') is { Length: > 1 } parts ? parts[1] : "";

    /// <summary>Same OS and architecture (the CPU variant is the node's business: it pulls from the index).</summary>
    public bool Matches(string platform)
    {
        var parts = platform.Split('/');
        return parts.Length >= 2
            && string.Equals(parts[0], Os, StringComparison.Ordinal)
            && string.Equals(parts[1], Architecture, StringComparison.Ordinal);
    }
}
