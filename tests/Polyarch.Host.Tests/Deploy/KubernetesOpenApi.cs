using System.Text.Json.Nodes;
using Json.Schema;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>
/// Validates Kubernetes objects against the official Kubernetes OpenAPI schema kept in Deploy/openapi (see its
/// SOURCE), choosing the definition by apiVersion and kind (x-kubernetes-group-version-kind).
/// </summary>
/// <remarks>
/// The API server refuses unknown fields (kubectl's server-side field validation, Strict): every object definition
/// that lists properties gets <c>additionalProperties: false</c> here, so an unknown field is a schema error. The
/// spec marks IntOrString and Quantity as strings while the API server also takes numbers for them (a port 8080, a
/// memory of 1); those two definitions take both.
/// </remarks>
internal static class KubernetesOpenApi
{
    private const string Id = "https://polyarch.invalid/kubernetes-openapi.json";

    private static readonly Lazy<(Dictionary<string, JsonSchema> Kinds, EvaluationOptions Options)> Schemas = new(Load);

    public static string Fixture { get; } = RepositoryRoot.Combine("tests", "Polyarch.Host.Tests", "Deploy", "openapi", "kubernetes-openapi.json");

    /// <summary>The apiVersion/kind pairs the kept part of the schema describes.</summary>
    public static IReadOnlyCollection<string> Kinds => Schemas.Value.Kinds.Keys;

    /// <summary>Every problem of every object in the YAML stream, each naming the object's kind, name and the field.</summary>
    public static List<string> Validate(string yaml) => [.. YamlToJson.Documents(yaml).SelectMany(Validate)];

    public static List<string> Validate(JsonObject o)
    {
        var apiVersion = o["apiVersion"]?.GetValue<string>();
        var kind = o["kind"]?.GetValue<string>();
        var metadata = o["metadata"] as JsonObject;
        var ns = metadata?["namespace"]?.GetValue<string>();
        var name = $"{kind ?? "(no kind)"} {(ns is null ? "" : ns + "/")}{metadata?["name"]?.GetValue<string>() ?? "(no name)"}";
        if (!Schemas.Value.Kinds.TryGetValue($"{apiVersion}/{kind}", out var schema))
        {
            return [$"{name}: the kept Kubernetes OpenAPI schema has no definition for apiVersion {apiVersion} kind {kind}; add the kind to Deploy/openapi/extract.py and regenerate (SOURCE)."];
        }

        var result = schema.Evaluate(o, Schemas.Value.Options);
        return result.IsValid
            ? []
            : [.. (result.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{name} ({apiVersion}): {(d.InstanceLocation.Count == 0 ? "/" : d.InstanceLocation.ToString())}: {Explain(d.EvaluationPath.ToString(), e.Value)}"))
                .Distinct()];
    }

    // A field that fails the false schema added as additionalProperties is one the definition does not list.
    private static string Explain(string evaluationPath, string message) =>
        evaluationPath.Split('/') is [.., "additionalProperties", _] or [.., "additionalProperties"] ? "unknown field (the API server refuses it)" : message;

    private static (Dictionary<string, JsonSchema>, EvaluationOptions) Load()
    {
        var spec = JsonNode.Parse(File.ReadAllText(Fixture))!.AsObject();
        var definitions = spec["definitions"]!.AsObject();
        foreach (var (_, node) in definitions)
        {
            var definition = node!.AsObject();
            if (definition["properties"] is not null && definition["additionalProperties"] is null)
            {
                definition["additionalProperties"] = false;
            }
        }

        definitions["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] = new JsonObject { ["type"] = new JsonArray("integer", "string") };
        definitions["io.k8s.apimachinery.pkg.api.resource.Quantity"] = new JsonObject { ["type"] = new JsonArray("number", "string") };

        var options = new EvaluationOptions { EvaluateAs = SpecVersion.Draft7, OutputFormat = OutputFormat.List };
        var document = new JsonObject { ["$id"] = Id, ["definitions"] = definitions.DeepClone() };
        options.SchemaRegistry.Register(JsonSchema.FromText(document.ToJsonString()));

        var kinds = new Dictionary<string, JsonSchema>();
        foreach (var (definitionName, node) in definitions)
        {
            foreach (var gvk in node!["x-kubernetes-group-version-kind"]?.AsArray() ?? [])
            {
                var group = gvk!["group"]!.GetValue<string>();
                var apiVersion = group.Length == 0 ? gvk["version"]!.GetValue<string>() : $"{group}/{gvk["version"]!.GetValue<string>()}";
                kinds[$"{apiVersion}/{gvk["kind"]!.GetValue<string>()}"] =
                    JsonSchema.FromText(new JsonObject { ["$ref"] = $"{Id}#/definitions/{definitionName}" }.ToJsonString());
            }
        }

        return (kinds, options);
    }
}
