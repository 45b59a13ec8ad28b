using System.Globalization;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Pool;

/// <summary>
/// Containers are interchangeable only within one key: owner (action or image), platform, child digest, limits (needs,
/// port, environment). One key for both backends: a Docker container and a Kubernetes pod of the same activation get the same.
/// </summary>
internal sealed record PoolKey(string Owner, string Platform, string ChildDigest, string Limits)
{
    /// <summary>The key of a placed activation: the decision's variant and needs, the proxy's port, the action's environment.</summary>
    public static PoolKey For(ActivationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return For(context.Action.Name, context.Decision.Variant.Platform, context.Decision.Variant.Digest, context.Decision.Requirements, context.Port, context.Action.Environment);
    }

    public static PoolKey For(string owner, string platform, string childDigest, Requirements needs, int port, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(environment);
        var env = string.Join(",", environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        var limits = string.Create(CultureInfo.InvariantCulture, $"{needs};port={port};env={env.GetHashCode(StringComparison.Ordinal):x}");
        return new PoolKey(owner, platform, childDigest, limits);
    }

    public override string ToString() => $"{Owner} {Platform} {ChildDigest} {Limits}";
}
