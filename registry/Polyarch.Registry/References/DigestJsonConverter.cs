using System.Text.Json;
using System.Text.Json.Serialization;

namespace Polyarch.Registry.References;

/// <summary>Reads and writes a <see cref="Digest"/> as its "sha256:…" string.</summary>
internal sealed class DigestJsonConverter : JsonConverter<Digest>
{
    public override Digest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("A digest must be a string.");
        return Digest.TryParse(text, out var digest, out var error)
            ? digest
            : throw new JsonException($"Invalid digest '{InvalidReferenceException.Printable(text)}': {error}.");
    }

    public override void Write(Utf8JsonWriter writer, Digest value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
