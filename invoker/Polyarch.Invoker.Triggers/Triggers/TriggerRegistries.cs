using Microsoft.Extensions.Options;
using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// The registries whose pushes the invoker acts on: <see cref="TriggerOptions.DefaultRegistry"/> and every registry a
/// rule's repository names. A notification names its registry itself (the request's Host, else the target URL), and
/// the invoker then calls that server to resolve the push; without this check anyone holding the webhook token could
/// make it call any host:port (a pattern without a registry matches pushes of every registry).
/// </summary>
internal sealed class TriggerRegistries(IRuleStore rules, IOptions<TriggerOptions> options)
{
    /// <summary>The accepted registries (host[:port], compared without regard to case).</summary>
    public async Task<IReadOnlySet<string>> ListAsync(CancellationToken cancellationToken)
    {
        var accepted = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { options.Value.DefaultRegistry };
        foreach (var rule in await rules.ListAsync(cancellationToken))
        {
            if (rule.Repository is not null && RuleMatcher.Split(rule.Repository).Registry is { } registry)
            {
                accepted.Add(registry);
            }
        }

        return accepted;
    }
}
