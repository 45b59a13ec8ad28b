using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>
/// Turns a YAML stream into JSON documents the way the API server reads a manifest: plain scalars that are
/// null, booleans or numbers (YAML core schema) become those JSON types, quoted scalars stay strings, and a
/// null field is left out (the API server treats it as unset).
/// </summary>
internal static class YamlToJson
{
    public static List<JsonObject> Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => Convert(d.RootNode)).OfType<JsonObject>()];
    }

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => Mapping(mapping),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidOperationException($"YAML node {node.Start}: aliases and other node kinds are not used in the manifests."),
    };

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var json = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var converted = Convert(value);
            if (converted is not null)
            {
                json[((YamlScalarNode)key).Value!] = converted;
            }
        }

        return json;
    }

    private static JsonValue? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
            _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && !double.IsInfinity(number) => JsonValue.Create(number),
            _ => JsonValue.Create(text),
        };
    }
}
