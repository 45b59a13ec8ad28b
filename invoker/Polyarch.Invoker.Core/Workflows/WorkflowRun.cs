using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Workflows;

/// <summary>A run's record: what `workflows runs get` and GET /v1/workflow-runs/{id} answer (the names are a contract).</summary>
internal sealed record WorkflowRun
{
    public required string Id { get; init; }

    public required string Workflow { get; init; }

    public string Status { get; set; } = WorkflowRunStatus.Pending;

    /// <summary>Why the run failed or was cancelled: the step, the platform and the reason.</summary>
    public string? Reason { get; set; }

    public JsonObject Params { get; init; } = [];

    public WorkflowTrigger? Trigger { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; set; }

    public JsonNode? Result { get; set; }

    /// <summary>The repository step artifacts go to.</summary>
    public string? Results { get; init; }

    public List<WorkflowStepState> Steps { get; init; } = [];

    public WorkflowStepState Step(string name) => Steps.First(s => s.Name == name);
}
