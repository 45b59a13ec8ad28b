namespace Polyarch.Invoker.Hosting.Client;

/// <summary>A cancel asked of a run that already ended (exit 1, REST 409): there is nothing to cancel.</summary>
internal sealed class WorkflowRunEndedException(string runId, string status)
    : InvokerException($"run {runId} already ended {status}; there is nothing to cancel")
{
    public string RunId { get; } = runId;

    public string Status { get; } = status;
}
