using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Workflows;

/// <summary>A workflow: steps in a DAG (by <c>needs</c>), where their results go, the run's default params and its result.</summary>
internal sealed record WorkflowDefinition
{
    /// <summary>The workflow's name (the key it is stored and started by).</summary>
    public string Name { get; init; } = "";

    /// <summary>The repository step artifacts go to (registry/path); null: next to what triggered the run, else <c>Workflows:ResultsRegistry/workflows/NAME</c>.</summary>
    public string? Results { get; init; }

    /// <summary>Defaults of the run's params (<c>${params.NAME}</c>).</summary>
    public JsonObject? Params { get; init; }

    /// <summary>The steps, in the order they were written.</summary>
    public IReadOnlyList<WorkflowStepDefinition> Steps { get; init; } = [];

    /// <summary>The run's result: a value with references, resolved when the run ends.</summary>
    public JsonNode? Result { get; init; }
}
