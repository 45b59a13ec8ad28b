namespace Polyarch.Invoker.Invocation;

/// <summary>The target is neither a stored action nor an image reference.</summary>
public sealed class ActionNotFoundException(string target)
    : InvokerException($"'{target}' is neither an action (see `polyarch-invoker actions list`) nor an image reference such as 127.0.0.1:5000/demo/echo:latest.")
{
    public string Target { get; } = target;
}
