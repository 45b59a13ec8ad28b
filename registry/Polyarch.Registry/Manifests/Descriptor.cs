using System.Text.Json.Serialization;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Manifests;

/// <summary>An OCI content descriptor: what a manifest or index points at. Not compared by value (it holds a dictionary).</summary>
public sealed record Descriptor
{
    /// <summary>The media type of the target.</summary>
    [JsonPropertyName("mediaType")]
    public required string MediaType { get; init; }

    /// <summary>The digest of the target's bytes.</summary>
    [JsonPropertyName("digest")]
    public required Digest Digest { get; init; }

    /// <summary>The size of the target in bytes.</summary>
    [JsonPropertyName("size")]
    public required long Size { get; init; }

    /// <summary>The platform of an index entry.</summary>
    [JsonPropertyName("platform")]
    public Platform? Platform { get; init; }

    /// <summary>The artifact type of an index entry, when it is an artifact.</summary>
    [JsonPropertyName("artifactType")]
    public string? ArtifactType { get; init; }

    /// <summary>The target's bytes embedded in the descriptor, base64 (image-spec descriptor.md; the empty config carries <c>e30=</c>).</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    /// <summary>Annotations of the entry.</summary>
    [JsonPropertyName("annotations")]
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>
    /// True for an image manifest with a known platform; false for attestations (buildx's
    /// vnd.docker.reference.type, platform unknown/unknown), nested indexes and unknown media types.
    /// </summary>
    [JsonIgnore]
    public bool IsRunnable =>
        MediaTypes.IsImageManifest(MediaType)
        && Platform is { IsUnknown: false }
        && Annotations?.ContainsKey(Manifests.Annotations.DockerReferenceType) != true;

    /// <summary>The <c>org.opencontainers.image.title</c> annotation: an artifact layer's file name.</summary>
    [JsonIgnore]
    public string? Title => Annotations?.GetValueOrDefault(Manifests.Annotations.Title);

    /// <summary>True for buildx's attestation entries.</summary>
    [JsonIgnore]
    public bool IsAttestation => Annotations?.ContainsKey(Manifests.Annotations.DockerReferenceType) == true;
}
