using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Polyarch.Invoker.Workflows;

/// <summary>One step: an action run on one or more platforms, or the built-in <c>tag</c> step.</summary>
internal sealed record WorkflowStepDefinition
{
    public string Name { get; init; } = "";

    /// <summary>The action to invoke (null for a <c>tag</c> step).</summary>
    public string? Action { get; init; }

    /// <summary>The steps that must succeed first.</summary>
    public IReadOnlyList<string> Needs { get; init; } = [];

    /// <summary>A platform, <c>all</c>, <c>native</c> or a list of platforms; null: the placement picks one.</summary>
    public JsonNode? Platforms { get; init; }

    /// <summary>The action's params, with references.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>Input files: <c>trigger</c>, <c>trigger/NAME</c>, <c>steps.STEP</c>, <c>steps.STEP/NAME</c>.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Per attempt (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h</c>); null: the action's own timeout.</summary>
    public string? Timeout { get; init; }

    /// <summary>Extra attempts after a failed one.</summary>
    public int Retries { get; init; }

    /// <summary>A reference; the step runs when it resolves to a truthy value, else it is skipped.</summary>
    [JsonPropertyName("if")]
    public string? If { get; init; }

    /// <summary>The built-in step: tag an artifact in the results repository.</summary>
    public WorkflowTagDefinition? Tag { get; init; }
}
