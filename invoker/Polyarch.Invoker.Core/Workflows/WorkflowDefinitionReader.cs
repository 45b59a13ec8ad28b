using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Reads a workflow definition from YAML or JSON (JSON is YAML; a text starting with <c>{</c> is read as JSON). YAML
/// scalars take the core schema's types: a plain <c>0.9</c> is a number, <c>true</c> a boolean, <c>null</c>/<c>~</c> null,
/// anything quoted a string.
/// </summary>
internal static class WorkflowDefinitionReader
{
    /// <summary>The definition in <paramref name="text"/>, named <paramref name="name"/> when given (it wins over the text's own <c>name</c>).</summary>
    /// <exception cref="InvalidWorkflowException">The text is neither YAML nor JSON of a workflow.</exception>
    public static WorkflowDefinition Read(string text, string? name, string source)
    {
        JsonNode? node;
        try
        {
            node = text.TrimStart().StartsWith('{') ? JsonNode.Parse(text) : ToJson(text);
        }
        catch (Exception exception) when (exception is JsonException or YamlException)
        {
            throw new InvalidWorkflowException(name ?? source, [$"{source} is neither valid YAML nor JSON ({exception.Message}); see invoker/README.md \"Workflows\" for the format"]);
        }

        if (node is not JsonObject body)
        {
            throw new InvalidWorkflowException(name ?? source, [$"{source} must hold a mapping with name, steps (and optionally results, params, result); see invoker/README.md \"Workflows\""]);
        }

        if (name is not null)
        {
            body["name"] = name;
        }

        return FromJson(body, name ?? body["name"]?.ToString() ?? source);
    }

    /// <summary>The definition in a JSON object (a REST body).</summary>
    public static WorkflowDefinition FromJson(JsonObject body, string name)
    {
        try
        {
            return body.Deserialize<WorkflowDefinition>(InvokerJson.Options)
                ?? throw new InvalidWorkflowException(name, ["the definition is empty"]);
        }
        catch (JsonException exception)
        {
            var where = exception.Path is { Length: > 0 } path ? $" at {path}" : "";
            throw new InvalidWorkflowException(name, [$"the definition has a value of the wrong type{where} ({exception.Message.Split(". Path:")[0]}); see invoker/README.md \"Workflows\""]);
        }
    }

    private static JsonNode? ToJson(string yaml)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(yaml);
        stream.Load(reader);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && value.Any(char.IsDigit) && !value.Contains("infinity", StringComparison.OrdinalIgnoreCase) => JsonValue.Create(number),
            _ => JsonValue.Create(value),
        };
    }
}
