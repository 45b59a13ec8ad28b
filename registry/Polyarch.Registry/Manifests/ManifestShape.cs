using System.Text.Json;
using System.Text.Json.Serialization;

namespace Polyarch.Registry.Manifests;

/// <summary>Just enough of a manifest to tell an index from an image manifest.</summary>
internal sealed record ManifestShape
{
    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("manifests")]
    public JsonElement? Manifests { get; init; }

    [JsonPropertyName("config")]
    public JsonElement? Config { get; init; }
}
