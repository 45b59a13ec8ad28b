namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>How a verb prints its answer (<c>--output</c>).</summary>
internal enum OutputFormat
{
    /// <summary>For people: tables and lines (<c>table</c>, or <c>text</c> as the verbs always called it).</summary>
    Table,

    /// <summary>One JSON document (errors too, as <c>{"error": …}</c>).</summary>
    Json,

    /// <summary>The JSON document as YAML.</summary>
    Yaml,
}
