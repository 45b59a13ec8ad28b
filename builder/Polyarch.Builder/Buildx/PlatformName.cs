namespace Polyarch.Builder.Buildx;

/// <summary>Platform strings as buildx prints them, with containerd's aliases normalised.</summary>
internal static class PlatformName
{
    /// <summary>Normalises e.g. <c>x86_64</c> → <c>linux/amd64</c>, <c>linux/aarch64</c> → <c>linux/arm64</c>; null when malformed.</summary>
    public static string? Normalize(string value)
    {
        var parts = value.Trim().TrimEnd('*').ToLowerInvariant().Split('/');
        if (parts.Length == 1)
        {
            parts = ["linux", parts[0]];
        }

        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')))
        {
            return null;
        }

        var (arch, variant) = (parts[1], parts.Length == 3 ? parts[2] : null) switch
        {
            ("x86_64" or "x86-64", var v) => ("amd64", v),
            ("aarch64", "v8") or ("arm64", "v8") => ("arm64", null),
            ("aarch64", var v) => ("arm64", v),
            ("ppc64el", var v) => ("ppc64le", v),
            ("i386", var v) => ("386", v),
            ("armhf", _) => ("arm", "v7"),
            ("armel", _) => ("arm", "v6"),
            ("arm", null) => ("arm", "v7"),
            var other => other,
        };
        return variant is null ? $"{parts[0]}/{arch}" : $"{parts[0]}/{arch}/{variant}";
    }

    /// <summary>The architecture an image config reports for a platform (e.g. <c>arm64</c>).</summary>
    public static string Architecture(string normalized) => normalized.Split('/')[1];
}
