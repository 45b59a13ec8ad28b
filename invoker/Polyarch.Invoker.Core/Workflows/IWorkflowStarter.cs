namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Starts workflow runs. The seam between what fires a run (a rule on an image or artifact push, a schedule, the CLI
/// and REST) and the workflow engine that runs it; Core defines it, the engine implements it, triggers call it.
/// </summary>
public interface IWorkflowStarter
{
    /// <summary>True when a workflow of that name is defined (rules that start workflows are validated with it).</summary>
    public Task<bool> ExistsAsync(string workflow, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a run and returns at once (the run proceeds in the background, durably). Idempotent by
    /// <see cref="WorkflowStartRequest.IdempotencyKey"/>: a second call with the same key returns the first run,
    /// with <see cref="WorkflowRunStart.Created"/> false — a re-delivered notification never starts a second run.
    /// </summary>
    /// <exception cref="WorkflowNotFoundException">No workflow of that name is defined.</exception>
    public Task<WorkflowRunStart> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken);
}
