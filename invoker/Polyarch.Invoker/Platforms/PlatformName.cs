using Polyarch.Registry.Platforms;

namespace Polyarch.Invoker.Platforms;

/// <summary>
/// Platform strings as the invoker keys them ("linux/arm64", "linux/arm/v7"). Parsing, aliases and
/// compatibility are the registry library's (<see cref="Platform"/>, <see cref="PlatformMatcher"/>), so the
/// invoker and the registry can never disagree on what "linux/aarch64" or "linux/ppc64el" means.
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
        if (string.IsNullOrWhiteSpace(platform) || !Platform.TryParse(platform.Trim(), out var parsed, out _))
        {
            return false;
        }

        normalized = parsed.ToString();
        return true;
    }

    /// <summary>The OCI architecture for a kernel machine name (uname -m) or alias.</summary>
    public static (string Architecture, string? Variant) NormalizeArchitecture(string architecture, string? variant)
    {
        var platform = Platform.Parse(variant is null ? $"linux/{architecture}" : $"linux/{architecture}/{variant}");
        return (platform.Architecture, platform.Variant);
    }

    /// <summary>Whether a host that runs <paramref name="requested"/> can run something built for <paramref name="candidate"/>.</summary>
    public static bool IsCompatible(string requested, string candidate) =>
        PlatformMatcher.IsCompatible(Platform.Parse(requested), Platform.Parse(candidate));
}
