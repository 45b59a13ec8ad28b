using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Invocation;

/// <summary>One call: an action name or an image reference, its params, and optionally the platform to run on.</summary>
public sealed record InvocationRequest(string Target, JsonObject Params, string? Platform = null)
{
    /// <summary>A pre-allocated activation id (non-blocking REST calls answer with it first); null for a new one.</summary>
    public string? ActivationId { get; init; }
}
