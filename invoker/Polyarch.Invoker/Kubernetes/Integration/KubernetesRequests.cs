using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Integration;

/// <summary>Maps the invoker core's activation context (variant already chosen) onto a pod request.</summary>
internal static class KubernetesRequests
{
    public static PodRequest From(ActivationContext context, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        var timeout = context.Deadline - time.GetUtcNow();
        return new PodRequest
        {
            ActionName = context.Action.Name,
            ActivationId = context.ActivationId,
            RepositoryName = context.Image.RepositoryName,
            IndexDigest = context.Image.IndexDigest,
            Variants = context.Image.Variants.Select(v => new PodVariant(v.Platform, v.Digest, v.Labels)).ToList(),
            // The core chose one variant: pin it (child digest, one architecture).
            Platform = context.Decision.Variant.Platform,
            AllowedPlatforms = context.Action.Placement.Required,
            PreferredPlatforms = context.Action.Placement.Preferred,
            MemoryBytes = context.Decision.Requirements.MemoryBytes,
            Cpus = context.Decision.Requirements.Cpus,
            Gpus = context.Decision.Requirements.Gpus,
            Tpus = context.Decision.Requirements.Tpus,
            Protocol = context.Protocol,
            Port = context.Port,
            ParamsJson = context.Params.ToJsonString(),
            Environment = context.Action.Environment,
            DataLocality = context.Action.Placement.DataLocality,
            Timeout = Clamp(timeout),
        };
    }

    // At least a second; at most a day (a deadline far in the future must not overflow timers or activeDeadlineSeconds).
    private static TimeSpan Clamp(TimeSpan timeout) =>
        timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : timeout;
}
