namespace Polyarch.Invoker.Workflows;

/// <summary>A workflow definition that cannot run; <see cref="Errors"/> names every problem (each with its step and the fix).</summary>
internal sealed class InvalidWorkflowException : InvokerException
{
    public InvalidWorkflowException(string workflow, IReadOnlyList<string> errors)
        : base($"workflow '{workflow}' is invalid: {string.Join("; ", errors)}")
    {
        Workflow = workflow;
        Errors = errors;
    }

    public string Workflow { get; }

    public IReadOnlyList<string> Errors { get; }
}
