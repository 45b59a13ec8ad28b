namespace Polyarch.Registry.Platforms;

/// <summary>
/// Architecture and OS aliases as containerd normalises them (platforms/database.go), plus Debian's
/// "ppc64el", which containerd leaves alone but which every Debian-based tool prints.
/// </summary>
internal static class PlatformAliases
{
    public static Platform Normalize(Platform platform)
    {
        var os = platform.Os.ToLowerInvariant() switch
        {
            "macos" => "darwin",
            var other => other,
        };
        var (architecture, variant) = NormalizeArchitecture(platform.Architecture.ToLowerInvariant(), platform.Variant?.ToLowerInvariant());
        return platform with { Os = os, Architecture = architecture, Variant = string.IsNullOrEmpty(variant) ? null : variant };
    }

    private static (string Architecture, string? Variant) NormalizeArchitecture(string architecture, string? variant) =>
        architecture switch
        {
            "i386" or "i486" or "i586" or "i686" => ("386", null),
            "x86_64" or "x86-64" or "amd64" => ("amd64", variant == "v1" ? null : variant),
            // arm64 implies v8: containerd drops the variant so that "arm64" and "arm64/v8" are equal.
            "aarch64" or "arm64" => ("arm64", variant is "8" or "v8" ? null : variant),
            "armhf" => ("arm", "v7"),
            "armel" => ("arm", "v6"),
            "arm" => ("arm", variant switch
            {
                null or "" or "7" => "v7",
                "5" or "6" or "8" => "v" + variant,
                _ => variant,
            }),
            "ppc64el" => ("ppc64le", variant),
            _ => (architecture, variant),
        };
}
