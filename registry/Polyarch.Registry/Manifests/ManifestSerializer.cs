using System.Text.Json;

namespace Polyarch.Registry.Manifests;

/// <summary>Writes and reads the OCI model with the source-generated serializer.</summary>
public static class ManifestSerializer
{
    /// <summary>The UTF-8 JSON of an index, as it will be pushed (and hashed).</summary>
    public static byte[] Serialize(ImageIndex index) =>
        JsonSerializer.SerializeToUtf8Bytes(index, ManifestJsonContext.Default.ImageIndex);

    /// <summary>The UTF-8 JSON of a manifest, as it will be pushed (and hashed).</summary>
    public static byte[] Serialize(ImageManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, ManifestJsonContext.Default.ImageManifest);

    /// <summary>Reads an image config; <paramref name="source"/> names it in errors.</summary>
    public static ImageConfig DeserializeConfig(ReadOnlySpan<byte> content, string source)
    {
        try
        {
            return JsonSerializer.Deserialize(content, ManifestJsonContext.Default.ImageConfig)
                ?? throw new InvalidManifestException(source, "the config is JSON null");
        }
        catch (JsonException exception)
        {
            throw new InvalidManifestException(source, exception.Message, exception);
        }
    }
}
