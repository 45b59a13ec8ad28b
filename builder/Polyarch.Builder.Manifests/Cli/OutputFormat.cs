namespace Polyarch.Builder.Cli;

/// <summary>How a builder verb prints its answer (<c>--output</c>).</summary>
internal enum OutputFormat
{
    /// <summary>For people: tables and lines (<c>table</c>, or <c>text</c> as the build verb always called it).</summary>
    Table,

    /// <summary>One JSON document (errors too, as <c>{"error": …}</c>).</summary>
    Json,

    /// <summary>The JSON document as YAML.</summary>
    Yaml,
}
