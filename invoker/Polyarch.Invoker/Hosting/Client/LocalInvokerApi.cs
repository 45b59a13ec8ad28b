using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting.Cli;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// <see cref="IInvokerApi"/> on this machine's state and backend (the services `serve` uses, built by <see cref="CliHost"/>):
/// what the CLI did before it could talk to a service, with the same views the REST API answers.
/// </summary>
internal sealed class LocalInvokerApi(ServiceProvider services, bool ownInstance) : IInvokerApi
{
    /// <summary>The services behind the verbs (for what only runs locally: Kubernetes dry runs and node lists).</summary>
    public IServiceProvider Services => services;

    public string Source => "the local state";

    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<IActionBackend>().GetInventoryAsync(cancellationToken);

    public async Task<IReadOnlyList<ActionDefinition>> ListActionsAsync(CancellationToken cancellationToken) =>
        [.. (await services.GetRequiredService<IActionStore>().ListAsync(cancellationToken)).Select(a => ActionViews.Of(a, showCode: false))];

    public async Task<ActionDefinition?> GetActionAsync(string name, bool showCode, CancellationToken cancellationToken) =>
        await services.GetRequiredService<IActionStore>().GetAsync(name, cancellationToken) is { } action ? ActionViews.Of(action, showCode) : null;

    public async Task<StoredAction> PutActionAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        var errors = ActionValidator.Validate(action, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<InvokerOptions>>().Value.MaxCodeBytes);
        if (errors.Count > 0)
        {
            throw new InvalidActionException(errors);
        }

        var notes = ActionValidator.Notes(action, services.GetRequiredService<IActionBackend>().Name);
        await services.GetRequiredService<IActionStore>().PutAsync(action, cancellationToken);
        return new StoredAction(ActionViews.Of(action, showCode: false), notes);
    }

    public Task<bool> DeleteActionAsync(string name, CancellationToken cancellationToken) =>
        services.GetRequiredService<IActionStore>().DeleteAsync(name, cancellationToken);

    public Task<ActivationRecord> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<ActionInvoker>().InvokeAsync(request, cancellationToken);

    public Task<IReadOnlyList<FanOutResult>> InvokeAllPlatformsAsync(InvocationRequest request, CancellationToken cancellationToken) =>
        services.GetRequiredService<ActionInvoker>().InvokeAllPlatformsAsync(request, cancellationToken);

    public Task<IReadOnlyList<ActivationRecord>> ListActivationsAsync(string? action, int limit, CancellationToken cancellationToken) =>
        services.GetRequiredService<IActivationStore>().ListAsync(action, limit, cancellationToken);

    public async Task<ActivationLookup?> GetActivationAsync(string activationId, CancellationToken cancellationToken)
    {
        // The accepted row first, as GET /v1/activations/{id} reads them: a record is stored before its row leaves.
        var waiting = await services.GetRequiredService<AcceptedActivationStore>().GetAsync(activationId, cancellationToken);
        if (await services.GetRequiredService<IActivationStore>().GetAsync(activationId, cancellationToken) is { } record)
        {
            return new ActivationLookup(record, null);
        }

        return waiting is null
            ? null
            : new ActivationLookup(null, JsonSerializer.SerializeToNode(
                new { activationId, action = waiting.Target, status = waiting.State, accepted = waiting.Accepted }, InvokerJson.Options)!.AsObject());
    }

    public Task<IReadOnlyList<RuleDefinition>> ListRulesAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<RuleService>().ListAsync(cancellationToken);

    public Task<RuleDefinition?> GetRuleAsync(string name, CancellationToken cancellationToken) =>
        services.GetRequiredService<RuleService>().GetAsync(name, cancellationToken);

    public async Task<RuleDefinition> PutRuleAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<RuleService>().PutAsync(rule, cancellationToken);
        return rule;
    }

    public Task<bool> DeleteRuleAsync(string name, CancellationToken cancellationToken) =>
        services.GetRequiredService<RuleService>().DeleteAsync(name, cancellationToken);

    public Task<IReadOnlyList<WorkflowDefinition>> ListWorkflowsAsync(CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowStore>().ListAsync(cancellationToken);

    public Task<WorkflowDefinition?> GetWorkflowAsync(string name, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowStore>().GetAsync(name, cancellationToken);

    public Task<WorkflowDefinition> PutWorkflowAsync(WorkflowDefinition workflow, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowEngine>().PutAsync(workflow, cancellationToken);

    public Task<bool> DeleteWorkflowAsync(string name, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowStore>().DeleteAsync(name, cancellationToken);

    public async Task<StartedWorkflowRun> StartWorkflowRunAsync(string workflow, JsonObject parameters, bool wait, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // Waiting, this process drives the run (it holds the lease); else it is stored with a free lease for a `serve`.
        var engine = services.GetRequiredService<WorkflowEngine>();
        var start = await engine.StartAsync(new WorkflowStartRequest(workflow, parameters, IdempotencyKey: idempotencyKey), drive: wait, cancellationToken);
        if (!start.Created)
        {
            var existing = await engine.GetRunAsync(start.RunId, cancellationToken);
            return new StartedWorkflowRun(start.RunId, existing?.Status ?? WorkflowRunStatus.Pending, Created: false);
        }

        return new StartedWorkflowRun(start.RunId, wait ? WorkflowRunStatus.Running : WorkflowRunStatus.Pending);
    }

    public Task<WorkflowRun> WaitForWorkflowRunAsync(string runId, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowEngine>().WaitAsync(runId, cancellationToken);

    public Task<IReadOnlyList<WorkflowRun>> ListWorkflowRunsAsync(string? workflow, int limit, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowStore>().ListRunsAsync(workflow, limit, cancellationToken);

    public Task<WorkflowRun?> GetWorkflowRunAsync(string runId, CancellationToken cancellationToken) =>
        services.GetRequiredService<WorkflowStore>().GetRunAsync(runId, cancellationToken);

    public async Task<bool> CancelWorkflowRunAsync(string runId, CancellationToken cancellationToken)
    {
        var engine = services.GetRequiredService<WorkflowEngine>();
        if (await engine.CancelAsync(runId, cancellationToken))
        {
            return true;
        }

        return await engine.GetRunAsync(runId, cancellationToken) is { } run ? throw new WorkflowRunEndedException(runId, run.Status) : false;
    }

    public async ValueTask DisposeAsync()
    {
        if (ownInstance)
        {
            // A CLI `invoke` ran as its own instance: its containers go with it.
            await CliHost.CleanUpAsync(services);
            return;
        }

        await services.DisposeAsync();
    }
}
