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
        var unpinned = context.AnyOf is { Count: > 1 };
        return new PodRequest
        {
            ActionName = context.Action.Name,
            ActivationId = context.ActivationId,
            RepositoryName = context.Image.RepositoryName,
            IndexDigest = context.Image.IndexDigest,
            // Pinned: the core's variant (child digest, one architecture). Unpinned: the ranked variants the core allows,
            // best first, so the pod placer pulls the index with affinity to their architectures (index ∩ allowed).
            Variants = unpinned ? [.. context.AnyOf!] : [.. context.Image.Variants],
            Platform = unpinned ? null : context.Decision.Variant.Platform,
            AllowedPlatforms = context.Action.Placement.Required,
            PreferredPlatforms = unpinned ? [.. context.AnyOf!.Select(v => v.Platform)] : context.Action.Placement.Preferred,
            MemoryBytes = context.Decision.Requirements.MemoryBytes,
            Cpus = context.Decision.Requirements.Cpus,
            Gpus = context.Decision.Requirements.Gpus,
            Tpus = context.Decision.Requirements.Tpus,
            GpuProduct = context.Decision.Requirements.GpuProduct,
            NodeSelector = context.Decision.Requirements.GpuProduct is { } product
                ? new Dictionary<string, string>(StringComparer.Ordinal) { [KubernetesLabels.NvidiaGpuProduct] = product }
                : new Dictionary<string, string>(StringComparer.Ordinal),
            Protocol = context.Protocol,
            Port = context.Port,
            ParamsJson = context.Params.ToJsonString(),
            Environment = context.Action.Environment,
            Code = context.Action.Code,
            DataLocality = context.Action.Placement.DataLocality,
            Timeout = Clamp(timeout),
        };
    }

    // At least a second; at most a day (a deadline far in the future must not overflow timers or activeDeadlineSeconds).
    private static TimeSpan Clamp(TimeSpan timeout) =>
        timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : timeout;
}
