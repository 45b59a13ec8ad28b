namespace Polyarch.Invoker.Rules;

/// <summary>A rule failed validation; every problem is listed.</summary>
public sealed class InvalidRuleException(IReadOnlyList<string> errors)
    : InvokerException("Invalid rule: " + string.Join(" ", errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
