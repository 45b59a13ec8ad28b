using System.CommandLine;

namespace Polyarch.Builder.Cli;

/// <summary>The validated <c>--output</c> option of every builder verb: a wrong value is bad usage (exit 2) naming the accepted ones.</summary>
internal static class OutputOption
{
    public static readonly string[] Accepted = ["table", "text", "json", "yaml"];

    public static Option<string> Create()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Output format: table (or text: for people), json or yaml (machine-readable, errors too)",
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong(Accepted);
        return option;
    }

    public static OutputFormat Parse(string? value) => value switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };
}
