using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Activations;

/// <summary>A non-blocking invocation that was answered 202 and has no record yet (stored before the answer).</summary>
/// <param name="ActivationId">The id the caller was given.</param>
/// <param name="Target">The action name the caller invoked.</param>
/// <param name="Params">The params of the call.</param>
/// <param name="Platform">The platform asked for, or null.</param>
/// <param name="State"><see cref="Pending"/> until the invoker takes it up, then <see cref="Running"/>.</param>
/// <param name="Accepted">When the 202 was answered.</param>
internal sealed record AcceptedActivation(string ActivationId, string Target, JsonObject Params, string? Platform, string State, DateTimeOffset Accepted)
{
    /// <summary>Accepted, not started: safe to run after a restart.</summary>
    public const string Pending = "pending";

    /// <summary>Taken up (resolution, placement, the action itself): never run twice, failed after a restart.</summary>
    public const string Running = "running";
}
