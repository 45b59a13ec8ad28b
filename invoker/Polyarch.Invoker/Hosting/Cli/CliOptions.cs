using System.CommandLine;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>Options several verbs share.</summary>
internal static class CliOptions
{
    public static Option<string> Output() => new("--output", "-o")
    {
        Description = "Output format: text or json",
        DefaultValueFactory = _ => "text",
    };

    public static bool IsJson(string? output) => string.Equals(output, "json", StringComparison.OrdinalIgnoreCase);
}
