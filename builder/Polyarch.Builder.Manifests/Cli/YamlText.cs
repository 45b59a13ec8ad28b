using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Polyarch.Builder.Cli;

/// <summary>A JSON document as the same document in YAML (no reflection: the manifest verbs run compiled ahead of time too).</summary>
internal static class YamlText
{
    public static string FromJson(string json)
    {
        var stream = new YamlStream(new YamlDocument(Convert(JsonNode.Parse(json))));
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString().TrimEnd();
        return text.EndsWith("...", StringComparison.Ordinal) ? text[..^3].TrimEnd() : text;
    }

    private static YamlNode Convert(JsonNode? node) => node switch
    {
        JsonObject o => new YamlMappingNode(o.Select(p => new KeyValuePair<YamlNode, YamlNode>(new YamlScalarNode(p.Key), Convert(p.Value)))),
        JsonArray a => new YamlSequenceNode(a.Select(Convert)),
        null => new YamlScalarNode("null") { Style = ScalarStyle.Plain },
        JsonValue v when v.GetValueKind() == JsonValueKind.String => String(v.GetValue<string>()),
        JsonValue v => new YamlScalarNode(v.ToJsonString()) { Style = ScalarStyle.Plain },
        _ => new YamlScalarNode(node.ToJsonString()),
    };

    // A string YAML would read as another type (a number, a boolean, null) or that is empty keeps its quotes.
    private static YamlScalarNode String(string value) =>
        new(value)
        {
            Style = value.Length == 0 || value.Contains('\n', StringComparison.Ordinal)
                || double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                || value.ToUpperInvariant() is "TRUE" or "FALSE" or "NULL" or "~" or "YES" or "NO" or "ON" or "OFF" or "Y" or "N"
                ? ScalarStyle.DoubleQuoted
                : ScalarStyle.Any,
        };
}
