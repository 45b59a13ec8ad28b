using Polyarch.Invoker.Triggers;
using Polyarch.Registry;

namespace Polyarch.Invoker.Rules;

/// <summary>Creates rules (validated; the watched repository's current tags recorded as seen so only later pushes fire) and reads them.</summary>
internal sealed partial class RuleService(IRuleStore store, Reconciler reconciler, ILogger<RuleService> logger)
{
    /// <exception cref="InvalidRuleException">The rule is invalid.</exception>
    public async Task PutAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        var errors = RuleValidator.Validate(rule);
        if (errors.Count > 0)
        {
            throw new InvalidRuleException(errors);
        }

        try
        {
            await reconciler.BaselineAsync(rule, cancellationToken);
        }
        catch (Exception exception) when (exception is RegistryException or HttpRequestException)
        {
            // Without a baseline, tags that exist now fire at the next reconciliation; say so.
            LogNoBaseline(exception, rule.Name, rule.Repository);
        }

        await store.PutAsync(rule, cancellationToken);
    }

    public Task<RuleDefinition?> GetAsync(string name, CancellationToken cancellationToken) => store.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<RuleDefinition>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => store.DeleteAsync(name, cancellationToken);

    [LoggerMessage(EventId = 7401, Level = LogLevel.Warning, Message = "Rule {Rule}: could not read the tags of {Repository} now; the tags it has will fire at the next reconciliation")]
    private partial void LogNoBaseline(Exception exception, string rule, string repository);
}
