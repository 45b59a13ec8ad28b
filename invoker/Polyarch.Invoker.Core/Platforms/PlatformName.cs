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
        TryNormalize(platform, out var normalized, out var error)
            ? normalized
            : throw new ArgumentException(error, nameof(platform));

    public static bool TryNormalize(string? platform, out string normalized) => TryNormalize(platform, out normalized, out _);

    /// <summary>
    /// Normalises a platform someone asked for (a flag, a rule, an action's placement): it must parse and name an
    /// os, architecture and variant the OCI spec knows (<see cref="Platform.TryParseKnown"/>), so "linux/arm64/v99"
    /// is rejected instead of running plain arm64. <paramref name="error"/> names the input and the fix.
    /// </summary>
    public static bool TryNormalize(string? platform, out string normalized, out string error)
    {
        normalized = "";
        if (!Platform.TryParseKnown(platform?.Trim(), out var parsed, out var reason))
        {
            error = new InvalidPlatformException(platform ?? "", reason).Message;
            return false;
        }

        normalized = parsed.ToString();
        error = "";
        return true;
    }

    /// <summary>True when the (normalised) platform names a variant, e.g. linux/arm64/v9 or linux/arm/v7.</summary>
    public static bool HasVariant(string platform) => Platform.Parse(platform).Variant is not null;

    /// <summary>Whether two platforms are the same os, architecture and variant once aliases are resolved.</summary>
    public static bool IsSame(string left, string right) => Platform.Parse(left).Normalize() == Platform.Parse(right).Normalize();

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
