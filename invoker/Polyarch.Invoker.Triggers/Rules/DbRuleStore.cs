using Polyarch.Invoker.State;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Rules;

/// <summary>Rules in the invoker's store, SQLite or PostgreSQL (one JSON document per rule).</summary>
internal sealed class DbRuleStore(TriggerDatabase database, TimeProvider timeProvider) : IRuleStore
{
    private readonly NamedDocumentTable<RuleDefinition> _rules = new(database.OpenAsync, "rules", timeProvider);

    public Task PutAsync(RuleDefinition rule, CancellationToken cancellationToken) =>
        _rules.PutAsync(rule.Name, rule, cancellationToken);

    public Task<RuleDefinition?> GetAsync(string name, CancellationToken cancellationToken) =>
        _rules.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<RuleDefinition>> ListAsync(CancellationToken cancellationToken) =>
        _rules.ListAsync(cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        _rules.DeleteAsync(name, cancellationToken);
}
