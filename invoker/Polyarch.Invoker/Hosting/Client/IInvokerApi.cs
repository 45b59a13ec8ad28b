using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// What a CLI verb asks of the invoker, whoever answers: the local state and backend (<see cref="LocalInvokerApi"/>) or a
/// running service's REST API (<see cref="HttpInvokerApi"/>, with <c>--url</c> / <c>POLYARCH_INVOKER_URL</c>). Both return
/// the same models, so a verb prints the same JSON either way. A new verb adds its calls here and to both implementations.
/// </summary>
internal interface IInvokerApi : IAsyncDisposable
{
    /// <summary>Where the answers come from, for messages: "the local state (DIR)" or "the invoker service at URL".</summary>
    public string Source { get; }

    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken);

    public Task<IReadOnlyList<ActionDefinition>> ListActionsAsync(CancellationToken cancellationToken);

    /// <summary>The action as shown (its code's content only with <paramref name="showCode"/>), or null when there is none.</summary>
    public Task<ActionDefinition?> GetActionAsync(string name, bool showCode, CancellationToken cancellationToken);

    /// <summary>Validates and stores the action; answers it as shown and what its backend does not do (warnings).</summary>
    public Task<StoredAction> PutActionAsync(ActionDefinition action, CancellationToken cancellationToken);

    public Task<bool> DeleteActionAsync(string name, CancellationToken cancellationToken);

    public Task<ActivationRecord> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken);

    public Task<IReadOnlyList<FanOutResult>> InvokeAllPlatformsAsync(InvocationRequest request, CancellationToken cancellationToken);

    public Task<IReadOnlyList<ActivationRecord>> ListActivationsAsync(string? action, int limit, CancellationToken cancellationToken);

    /// <summary>The record, or the accepted activation still waiting for one; null when the id was never accepted.</summary>
    public Task<ActivationLookup?> GetActivationAsync(string activationId, CancellationToken cancellationToken);

    public Task<IReadOnlyList<RuleDefinition>> ListRulesAsync(CancellationToken cancellationToken);

    public Task<RuleDefinition?> GetRuleAsync(string name, CancellationToken cancellationToken);

    /// <summary>Validates and stores the rule (<see cref="InvalidRuleException"/> or a refusal of the service when invalid).</summary>
    public Task<RuleDefinition> PutRuleAsync(RuleDefinition rule, CancellationToken cancellationToken);

    public Task<bool> DeleteRuleAsync(string name, CancellationToken cancellationToken);
}
