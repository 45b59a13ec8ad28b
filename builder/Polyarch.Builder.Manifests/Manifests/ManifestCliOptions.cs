using System.CommandLine;

namespace Polyarch.Builder.Manifests;

/// <summary>The options every manifest verb shares.</summary>
internal static class ManifestCliOptions
{
    public const string Text = "text";
    public const string Json = "json";

    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: text (a table) or json (machine-readable, also for errors)",
            DefaultValueFactory = _ => Text,
        };
        option.AcceptOnlyFromAmong(Text, Json);
        return option;
    }

    public static Option<bool> Insecure() => new("--insecure")
    {
        Description = "Speak plain HTTP to the target's registry (localhost and 127.0.0.0/8 always use plain HTTP)",
    };
}
