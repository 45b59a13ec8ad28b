namespace Polyarch.Invoker.Invocation;

/// <summary>An action definition or request failed validation; every problem is listed.</summary>
public sealed class InvalidActionException(IReadOnlyList<string> errors)
    : InvokerException("Invalid input: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
