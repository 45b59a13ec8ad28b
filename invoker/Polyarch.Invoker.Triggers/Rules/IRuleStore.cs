namespace Polyarch.Invoker.Rules;

/// <summary>Where rules live.</summary>
internal interface IRuleStore
{
    public Task PutAsync(RuleDefinition rule, CancellationToken cancellationToken);

    public Task<RuleDefinition?> GetAsync(string name, CancellationToken cancellationToken);

    public Task<IReadOnlyList<RuleDefinition>> ListAsync(CancellationToken cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken);
}
