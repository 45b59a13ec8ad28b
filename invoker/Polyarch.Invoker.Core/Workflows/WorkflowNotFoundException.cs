namespace Polyarch.Invoker.Workflows;

/// <summary>No workflow of that name is defined.</summary>
public sealed class WorkflowNotFoundException : InvokerException
{
    public WorkflowNotFoundException(string workflow)
        : base($"workflow '{workflow}' is not defined; create it with `polyarch-invoker workflows create {workflow} --file FILE` or list them with `workflows list`")
    {
        Workflow = workflow;
    }

    public string Workflow { get; }
}
