using Polyarch.Registry.Platforms;

namespace Polyarch.Builder.Buildx;

/// <summary>Platform strings as buildx prints them ("linux/amd64*", "x86_64"), normalised by the registry library's <see cref="Platform"/>.</summary>
internal static class PlatformName
{
    /// <summary>Normalises e.g. <c>x86_64</c> → <c>linux/amd64</c>, <c>linux/aarch64</c> → <c>linux/arm64</c>; null when malformed.</summary>
    public static string? Normalize(string value)
    {
        // buildx marks the platforms a node was configured with by a trailing '*'; a bare architecture means linux.
        var text = value.Trim().TrimEnd('*');
        if (!text.Contains('/', StringComparison.Ordinal))
        {
            text = "linux/" + text;
        }

        return Platform.TryParse(text, out var platform, out _) ? platform.ToString() : null;
    }

    /// <summary>The architecture an image config reports for a platform (e.g. <c>arm64</c>).</summary>
    public static string Architecture(string normalized) => normalized.Split('/')[1];
}
