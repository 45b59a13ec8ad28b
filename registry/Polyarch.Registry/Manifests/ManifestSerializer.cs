using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Polyarch.Registry.Manifests;

/// <summary>Writes and reads the OCI model with the source-generated serializer.</summary>
public static class ManifestSerializer
{
    // Media types hold '+', which the default encoder writes as \u002B: valid JSON, but registries, diff tools and
    // people read these bytes. Manifests are never embedded in HTML, so the relaxed encoder is safe here.
    private static readonly ManifestJsonContext Writer = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    });

    /// <summary>The UTF-8 JSON of an index, as it will be pushed (and hashed).</summary>
    public static byte[] Serialize(ImageIndex index) =>
        JsonSerializer.SerializeToUtf8Bytes(index, Writer.ImageIndex);

    /// <summary>The UTF-8 JSON of a manifest, as it will be pushed (and hashed).</summary>
    public static byte[] Serialize(ImageManifest manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(manifest, Writer.ImageManifest);

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
