namespace Polyarch.Invoker.Platforms;

/// <summary>
/// Platform strings as the invoker keys them ("linux/arm64", "linux/arm/v7"), normalised like containerd
/// (x86_64→amd64, aarch64→arm64 without v8, armhf→arm/v7; ppc64el→ppc64le as Polyarch's registry does).
/// </summary>
internal static class PlatformName
{
    public static string Normalize(string platform) =>
        TryNormalize(platform, out var normalized)
            ? normalized
            : throw new ArgumentException($"Platform '{platform}' is not os/arch[/variant], e.g. linux/arm64.", nameof(platform));

    public static bool TryNormalize(string? platform, out string normalized)
    {
        normalized = "";
        if (string.IsNullOrWhiteSpace(platform))
        {
            return false;
        }

        var parts = platform.Trim().ToLowerInvariant().Split('/');
        if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0 || p.Length > 32 || !char.IsAsciiLetterOrDigit(p[0]) || !p.All(IsNameChar)))
        {
            return false;
        }

        var (arch, variant) = NormalizeArchitecture(parts[1], parts.Length == 3 ? parts[2] : null);
        normalized = variant is null ? $"{parts[0]}/{arch}" : $"{parts[0]}/{arch}/{variant}";
        return true;
    }

    /// <summary>The OCI architecture for a kernel machine name (uname -m) or alias.</summary>
    public static (string Architecture, string? Variant) NormalizeArchitecture(string architecture, string? variant)
    {
        return architecture switch
        {
            "x86_64" or "x86-64" or "amd64" => ("amd64", variant),
            "aarch64" or "arm64" => ("arm64", variant is "v8" ? null : variant),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "arm" => ("arm", variant ?? "v7"),
            "i386" or "i686" => ("386", variant),
            "ppc64el" => ("ppc64le", variant),
            _ => (architecture, variant),
        };
    }

    /// <summary>Whether something built for <paramref name="candidate"/> satisfies a request for <paramref name="requested"/>.</summary>
    public static bool IsCompatible(string requested, string candidate)
    {
        var r = requested.Split('/');
        var c = candidate.Split('/');
        if (r[0] != c[0] || r[1] != c[1])
        {
            return false;
        }

        // A request without a variant takes any variant; a request with one needs the same (or none given).
        return r.Length < 3 || c.Length < 3 || r[2] == c[2];
    }

    private static bool IsNameChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.';
}
