using System.Text.Json.Serialization;
using Polyarch.Registry.Platforms;

namespace Polyarch.Registry.Manifests;

/// <summary>The parts of an image config (OCI or Docker) the library reads. Not compared by value.</summary>
public sealed record ImageConfig
{
    /// <summary>The CPU architecture the image was built for.</summary>
    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = string.Empty;

    /// <summary>The operating system the image was built for.</summary>
    [JsonPropertyName("os")]
    public string Os { get; init; } = string.Empty;

    /// <summary>The CPU variant, e.g. v7 for arm.</summary>
    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    /// <summary>The OS version (Windows images).</summary>
    [JsonPropertyName("os.version")]
    public string? OsVersion { get; init; }

    /// <summary>When the image was created.</summary>
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    /// <summary>The execution parameters: labels, entrypoint, environment.</summary>
    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; init; }

    /// <summary>The platform this config declares (normalised).</summary>
    [JsonIgnore]
    public Platform Platform => new Platform(Os, Architecture, Variant, OsVersion).Normalize();
}
