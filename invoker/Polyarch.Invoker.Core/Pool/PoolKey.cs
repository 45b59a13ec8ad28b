using System.Globalization;
using Polyarch.Invoker.Actions;
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
        return For(context.Action.Name, context.Decision.Variant.Platform, context.Decision.Variant.Digest, context.Decision.Requirements, context.Port, context.Action.Environment, context.Action.Code);
    }

    /// <summary>
    /// The key of those parts; a code action's code digest and main are part of it, so a container initialised with an
    /// action's old code is never reused for its new code.
    /// </summary>
    public static PoolKey For(string owner, string platform, string childDigest, Requirements needs, int port, IReadOnlyDictionary<string, string> environment, ActionCode? code = null)
    {
        ArgumentNullException.ThrowIfNull(needs);
        ArgumentNullException.ThrowIfNull(environment);
        var env = string.Join(",", environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        var codeKey = code is null ? "" : $";code={code.Sha256};main={code.Main}";
        var limits = string.Create(CultureInfo.InvariantCulture, $"{needs};port={port};env={env.GetHashCode(StringComparison.Ordinal):x}{codeKey}");
        return new PoolKey(owner, platform, childDigest, limits);
    }

    public override string ToString() => $"{Owner} {Platform} {ChildDigest} {Limits}";
}
