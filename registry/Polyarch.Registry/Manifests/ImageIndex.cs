using System.Text.Json.Serialization;

namespace Polyarch.Registry.Manifests;

/// <summary>An OCI image index or Docker manifest list. Not compared by value (it holds collections).</summary>
public sealed record ImageIndex
{
    /// <summary>Always 2.</summary>
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; } = 2;

    /// <summary>The index's media type (OCI index or Docker manifest list).</summary>
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    /// <summary>The artifact type, when the index describes an artifact.</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The entries, in order: when several match a platform, the first wins.</summary>
    [JsonPropertyName("manifests")]
    public IReadOnlyList<Descriptor> Manifests { get; init; } = [];

    /// <summary>Annotations of the index (org.opencontainers.image.created …).</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }
}
