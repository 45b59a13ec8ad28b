namespace Polyarch.Invoker.Workflows;

/// <summary>No run of that id exists.</summary>
internal sealed class WorkflowRunNotFoundException(string runId)
    : InvokerException($"there is no workflow run '{runId}'; list runs with `polyarch-invoker workflows runs list`")
{
    public string RunId { get; } = runId;
}
