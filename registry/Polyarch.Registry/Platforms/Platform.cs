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

    /// <summary>A Linux platform for an architecture (aliases allowed, e.g. "aarch64").</summary>
    public static Platform Linux(string architecture) => Parse("linux/" + architecture);

    /// <summary>This platform with aliases resolved the way containerd does (plus ppc64el→ppc64le).</summary>
    [Pure]
    public Platform Normalize() => PlatformAliases.Normalize(this);

    /// <inheritdoc />
    public override string ToString() =>
        string.IsNullOrEmpty(Variant) ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";
}
