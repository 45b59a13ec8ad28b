namespace Polyarch.Invoker.Images;

/// <summary>One runnable variant of an image: its platform ("linux/arm64"), its manifest digest and its config labels.</summary>
internal sealed record VariantInfo(string Platform, string Digest, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The operating system of <see cref="Platform"/> ("linux").</summary>
    public string Os => Platform.Split('/')[0];

    /// <summary>The architecture of <see cref="Platform"/> ("arm64"; empty when the platform names none).</summary>
    public string Architecture => Platform.Split('/') is { Length: > 1 } parts ? parts[1] : "";

    /// <summary>
    /// Same OS and architecture as <paramref name="platform"/>, whatever the CPU variant: what a Kubernetes node's
    /// kubernetes.io/os and kubernetes.io/arch labels can tell (the node pulls its variant from the index).
    /// </summary>
    public bool Matches(string platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var parts = platform.Split('/');
        return parts.Length >= 2
            && string.Equals(parts[0], Os, StringComparison.Ordinal)
            && string.Equals(parts[1], Architecture, StringComparison.Ordinal);
    }
}
