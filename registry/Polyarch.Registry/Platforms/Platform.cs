using System.Diagnostics.Contracts;
using System.Text.Json.Serialization;

namespace Polyarch.Registry.Platforms;

/// <summary>An OCI platform: os/architecture[/variant], as in an index entry or an image config.</summary>
/// <param name="Os">The operating system, e.g. "linux".</param>
/// <param name="Architecture">The CPU architecture in OCI (GOARCH) spelling, e.g. "arm64".</param>
/// <param name="Variant">The CPU variant, e.g. "v7" for arm; null when none.</param>
/// <param name="OsVersion">The OS version (Windows images); null on Linux.</param>
public sealed record Platform(
    [property: JsonPropertyName("os")] string Os,
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("variant")] string? Variant = null,
    [property: JsonPropertyName("os.version")] string? OsVersion = null)
{
    /// <summary>The os and architecture buildx writes on attestation entries.</summary>
    public const string Unknown = "unknown";

    /// <summary>True for the unknown/unknown platform of attestation entries and for empty fields.</summary>
    [JsonIgnore]
    public bool IsUnknown =>
        string.IsNullOrEmpty(Os) || string.IsNullOrEmpty(Architecture) || Os == Unknown || Architecture == Unknown;

    /// <summary>Parses "os/arch[/variant]" strictly and normalises aliases (x86_64→amd64, ppc64el→ppc64le …).</summary>
    public static Platform Parse(string value) => PlatformParser.Parse(value);

    /// <summary>Parses without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string? value,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Platform? platform,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error) =>
        PlatformParser.TryParse(value, out platform, out error);

    /// <summary>
    /// Parses a platform someone asks for (a flag, a rule, an action's placement): strict syntax as <see cref="Parse"/>,
    /// and the os, architecture and variant must be ones the OCI image spec (or containerd's variant order) knows, so
    /// that "linux/arm64/v99" is an error instead of a request that silently runs something else.
    /// </summary>
    /// <exception cref="InvalidPlatformException">The value is malformed or names an unknown os, architecture or variant.</exception>
    public static Platform ParseKnown(string value) =>
        TryParseKnown(value, out var platform, out var error) ? platform : throw new InvalidPlatformException(value, error);

    /// <summary>As <see cref="ParseKnown"/>, without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParseKnown(
        string? value,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Platform? platform,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        if (!PlatformParser.TryParse(value, out platform, out error))
        {
            return false;
        }

        if (!KnownPlatforms.IsKnown(platform, out error))
        {
            platform = null;
            return false;
        }

        return true;
    }

    /// <summary>A Linux platform for an architecture (aliases allowed, e.g. "aarch64").</summary>
    public static Platform Linux(string architecture) => Parse("linux/" + architecture);

    /// <summary>This platform with aliases resolved the way containerd does (plus ppc64el→ppc64le).</summary>
    [Pure]
    public Platform Normalize() => PlatformAliases.Normalize(this);

    /// <inheritdoc />
    public override string ToString() =>
        string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
