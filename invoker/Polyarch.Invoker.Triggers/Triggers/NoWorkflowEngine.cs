using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// The <see cref="IWorkflowStarter"/> of an invoker built without a workflow engine: no workflow exists, so a rule that
/// names one is refused at create. The engine's own registration replaces it.
/// </summary>
internal sealed class NoWorkflowEngine : IWorkflowStarter
{
    public Task<bool> ExistsAsync(string workflow, CancellationToken cancellationToken) => Task.FromResult(false);

    public Task<WorkflowRunStart> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken) =>
        throw new WorkflowNotFoundException(request.Workflow);
}
