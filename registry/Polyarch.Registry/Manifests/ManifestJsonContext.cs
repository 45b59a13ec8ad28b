using System.Text.Json.Serialization;

namespace Polyarch.Registry.Manifests;

/// <summary>Source-generated (reflection-free) JSON for the OCI model.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    AllowTrailingCommas = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(ManifestShape))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
