namespace Polyarch.Invoker.Triggers;

/// <summary>One platform of a firing and the activation id reserved for it before it runs.</summary>
internal sealed record FiringActivation(string Platform, string ActivationId);
