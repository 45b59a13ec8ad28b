using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.Workflows;

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
    public Task<IReadOnlyList<WorkflowDefinition>> ListWorkflowsAsync(CancellationToken cancellationToken);

    public Task<WorkflowDefinition?> GetWorkflowAsync(string name, CancellationToken cancellationToken);

    /// <summary>Validates and stores the definition (<see cref="InvalidWorkflowException"/> naming every problem when invalid).</summary>
    public Task<WorkflowDefinition> PutWorkflowAsync(WorkflowDefinition workflow, CancellationToken cancellationToken);

    public Task<bool> DeleteWorkflowAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Starts a run (<see cref="WorkflowNotFoundException"/> for an unknown workflow). With <paramref name="wait"/> the local
    /// state drives it in this process (else a `serve` takes it up); a service drives it either way. The same
    /// <paramref name="idempotencyKey"/> again answers the first run with it instead of starting another.
    /// </summary>
    public Task<StartedWorkflowRun> StartWorkflowRunAsync(string workflow, JsonObject parameters, bool wait, string? idempotencyKey, CancellationToken cancellationToken);

    /// <summary>Waits until the run has ended and returns its record (<see cref="WorkflowRunNotFoundException"/> for an unknown run).</summary>
    public Task<WorkflowRun> WaitForWorkflowRunAsync(string runId, CancellationToken cancellationToken);

    public Task<IReadOnlyList<WorkflowRun>> ListWorkflowRunsAsync(string? workflow, int limit, CancellationToken cancellationToken);

    public Task<WorkflowRun?> GetWorkflowRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Asks the run to cancel; false when there is no such run, <see cref="WorkflowRunEndedException"/> when it already ended.</summary>
    public Task<bool> CancelWorkflowRunAsync(string runId, CancellationToken cancellationToken);
}
