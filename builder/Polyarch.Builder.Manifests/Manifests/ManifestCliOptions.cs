using System.CommandLine;

namespace Polyarch.Builder.Manifests;

/// <summary>The options every manifest verb shares.</summary>
internal static class ManifestCliOptions
{
    public const string Text = "text";
    public const string Json = "json";
    public const string Yaml = "yaml";

    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (or text: for people), json or yaml (machine-readable, also for errors)",
            DefaultValueFactory = _ => Text,
        };
        option.AcceptOnlyFromAmong(Cli.OutputOption.Accepted);
        return option;
    }

    /// <summary>Whether the answer is a document (json or yaml) rather than a table.</summary>
    public static bool IsStructured(string format) => format is Json or Yaml;

    /// <summary>The answer's JSON as the format asks: as it is, or the same document in YAML.</summary>
    public static string Render(string json, string format) => format == Yaml ? Cli.YamlText.FromJson(json) : json;

    public static Option<bool> Insecure() => new("--insecure")
    {
        Description = "Speak plain HTTP to the target's registry (localhost and 127.0.0.0/8 always use plain HTTP)",
    };
}
