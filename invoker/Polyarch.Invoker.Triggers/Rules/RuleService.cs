using Polyarch.Invoker.Triggers;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry;

namespace Polyarch.Invoker.Rules;

/// <summary>
/// Creates rules (validated, a workflow they name must exist; the watched repository's current tags recorded as seen so
/// only later pushes fire; a schedule counted from now, so only later occurrences fire) and reads them.
/// </summary>
internal sealed partial class RuleService(
    IRuleStore store,
    Reconciler reconciler,
    ScheduleStore schedules,
    IWorkflowStarter workflows,
    TimeProvider timeProvider,
    ILogger<RuleService> logger)
{
    /// <exception cref="InvalidRuleException">The rule is invalid.</exception>
    public async Task PutAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        var errors = RuleValidator.Validate(rule);
        if (errors.Count == 0 && rule.Workflow is { } workflow && !await workflows.ExistsAsync(workflow, cancellationToken))
        {
            errors = [$"Workflow (--workflow) '{workflow}' is not defined: create it first with `polyarch-invoker workflows create {workflow} --file FILE` (see `workflows list`)."];
        }

        if (errors.Count > 0)
        {
            throw new InvalidRuleException(errors);
        }

        if (rule.Event == RuleDefinition.ScheduleEvent)
        {
            await schedules.BaselineAsync(rule.Name, RuleSchedule.Signature(rule), timeProvider.GetUtcNow(), cancellationToken);
            await store.PutAsync(rule, cancellationToken);
            return;
        }

        try
        {
            await reconciler.BaselineAsync(rule, cancellationToken);
        }
        catch (Exception exception) when (exception is RegistryException or HttpRequestException)
        {
            // Without a baseline, tags that exist now fire at the next reconciliation; say so.
            LogNoBaseline(exception, rule.Name, rule.Repository ?? "");
        }

        await store.PutAsync(rule, cancellationToken);
    }

    public Task<RuleDefinition?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<RuleDefinition>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await schedules.DeleteAsync(name, cancellationToken);
        return await store.DeleteAsync(name, cancellationToken);
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning, Message = "Rule {Rule}: could not read the tags of {Repository} now; the tags it has will fire at the next reconciliation")]
    private partial void LogNoBaseline(Exception exception, string rule, string repository);
}
