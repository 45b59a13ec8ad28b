using System.Text.Json;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Cli;

/// <summary>Writes an answer as JSON (the records' camelCase shape) or as the same document in YAML.</summary>
internal static class StructuredOutput
{
    public static void Write<T>(TextWriter output, T value, OutputFormat format)
    {
        var json = JsonSerializer.Serialize(value, BuildJson.Options);
        output.WriteLine(format == OutputFormat.Yaml ? ToYaml(json) : json);
    }

    public static string ToYaml(string json) => YamlText.FromJson(json);
}
