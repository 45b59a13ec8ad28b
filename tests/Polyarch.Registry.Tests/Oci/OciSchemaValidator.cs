using System.Text.Json.Nodes;
using Json.Schema;

namespace Polyarch.Registry.Tests.Oci;

/// <summary>
/// Validates JSON against the OCI image-spec schemas (Fixtures/oci-image-spec-schema). They are draft-04, which
/// JsonSchema.Net does not implement; their keywords here (type, properties, required, pattern, items,
/// minimum/maximum, $ref) mean the same in draft-07, so "$schema" is dropped and they are evaluated as draft-07.
/// </summary>
internal static class OciSchemaValidator
{
    private static readonly Lazy<(JsonSchema Index, JsonSchema Manifest, EvaluationOptions Options)> Schemas = new(Load);

    public static IReadOnlyList<string> ValidateIndex(ReadOnlySpan<byte> json) => Validate(Schemas.Value.Index, json);

    public static IReadOnlyList<string> ValidateManifest(ReadOnlySpan<byte> json) => Validate(Schemas.Value.Manifest, json);

    private static List<string> Validate(JsonSchema schema, ReadOnlySpan<byte> json)
    {
        var node = JsonNode.Parse(json);
        var result = schema.Evaluate(node, Schemas.Value.Options);
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))];
    }

    private static (JsonSchema, JsonSchema, EvaluationOptions) Load()
    {
        var directory = Directory.CreateTempSubdirectory("polyarch-oci-schema-").FullName;
        var options = new EvaluationOptions { EvaluateAs = SpecVersion.Draft7, OutputFormat = OutputFormat.List };
        var schemas = new Dictionary<string, JsonSchema>();
        foreach (var file in Directory.GetFiles(FixturePaths.Schemas, "*.json"))
        {
            var node = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            node.Remove("$schema");
            var copy = Path.Combine(directory, Path.GetFileName(file));
            File.WriteAllText(copy, node.ToJsonString());
            var schema = JsonSchema.FromFile(copy);
            options.SchemaRegistry.Register(schema);
            schemas[Path.GetFileName(file)] = schema;
        }

        return (schemas["image-index-schema.json"], schemas["image-manifest-schema.json"], options);
    }
}
