namespace Polyarch.Invoker.Workflows;

/// <summary>The states of runs, steps and step runs (the run record's <c>status</c> fields).</summary>
internal static class WorkflowRunStatus
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    public static bool IsFinal(string status) => status is Succeeded or Failed or Skipped or Cancelled;
}
