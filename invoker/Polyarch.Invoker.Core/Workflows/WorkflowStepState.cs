namespace Polyarch.Invoker.Workflows;

/// <summary>One step of a run: its state and one entry per platform it ran on.</summary>
internal sealed record WorkflowStepState
{
    public required string Name { get; init; }

    public string Status { get; set; } = WorkflowRunStatus.Pending;

    public string? Reason { get; set; }

    public List<WorkflowStepRun> Runs { get; init; } = [];
}
