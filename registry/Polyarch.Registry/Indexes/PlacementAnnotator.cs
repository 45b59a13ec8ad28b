using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <summary>
/// Writes <see cref="PlacementHints"/> onto the child descriptors of an index as annotations (image-spec descriptor.md,
/// "annotations"), keeping every other field of the index as it was. The result is a new index with a new digest.
/// </summary>
public static class PlacementAnnotator
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };

    /// <summary>
    /// The index <paramref name="index"/> with each entry named in <paramref name="hints"/> (by digest) carrying exactly
    /// those placement annotations (older ones replaced); <paramref name="source"/> names the index in errors.
    /// <paramref name="indexAnnotations"/> (e.g. <see cref="TraceAnnotations.TraceParent"/>) are set on the index itself.
    /// </summary>
    public static byte[] Annotate(
        ReadOnlySpan<byte> index, IReadOnlyDictionary<Digest, PlacementHints> hints, string source, IReadOnlyDictionary<string, string>? indexAnnotations = null)
    {
        ArgumentNullException.ThrowIfNull(hints);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(index);
        }
        catch (JsonException exception)
        {
            throw new InvalidManifestException(source, exception.Message, exception);
        }

        if (root?["manifests"] is not JsonArray manifests)
        {
            throw new InvalidManifestException(source, "it is not an index (no 'manifests' array)");
        }

        var missing = new HashSet<Digest>(hints.Keys);
        foreach (var entry in manifests.OfType<JsonObject>())
        {
            if (entry["digest"]?.GetValueKind() != JsonValueKind.String || !Digest.TryParse(entry["digest"]!.GetValue<string>(), out var digest, out _)
                || !hints.TryGetValue(digest, out var hint))
            {
                continue;
            }

            missing.Remove(digest);
            if (entry["annotations"] is not JsonObject annotations)
            {
                annotations = [];
                entry["annotations"] = annotations;
            }

            foreach (var key in annotations.Select(p => p.Key).Where(k => k == PlacementAnnotations.Marker || PlacementAnnotations.IsPlacementKey(k)).ToList())
            {
                annotations.Remove(key);
            }

            foreach (var (key, value) in hint.ToAnnotations())
            {
                annotations[key] = value;
            }
        }

        if (missing.Count > 0)
        {
            throw new InvalidManifestException(source, $"it has no entry for {string.Join(", ", missing)}, so it cannot be annotated");
        }

        if (indexAnnotations is { Count: > 0 })
        {
            if (root["annotations"] is not JsonObject own)
            {
                own = [];
                root["annotations"] = own;
            }

            foreach (var (key, value) in indexAnnotations)
            {
                own[key] = value;
            }
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            root.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
