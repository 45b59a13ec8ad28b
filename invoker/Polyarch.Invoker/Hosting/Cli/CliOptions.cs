using System.CommandLine;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>Options several verbs share.</summary>
internal static class CliOptions
{
    /// <summary>What <c>--output</c> accepts (the builder's verbs accept the same).</summary>
    public static readonly string[] Accepted = ["table", "text", "json", "yaml"];

    /// <summary>The validated <c>--output</c> option: a value outside <see cref="Accepted"/> is bad usage (exit 2) naming the accepted ones.</summary>
    public static Option<string> Output(string defaultValue = "table")
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (or text: for people), json or yaml (machine-readable, errors too)",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(Accepted);
        return option;
    }

    public static OutputFormat Format(string? output) => output?.ToLowerInvariant() switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };

    public static bool IsJson(string? output) => string.Equals(output, "json", StringComparison.OrdinalIgnoreCase);
}
