using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Invocation;

/// <summary>One platform of a fan-out: its activation, or why it could not run there.</summary>
public sealed record FanOutResult(string Platform, ActivationRecord? Activation, string? Error)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsSuccess => Activation?.IsSuccess == true;
}
