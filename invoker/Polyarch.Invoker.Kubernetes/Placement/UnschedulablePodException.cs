using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>
/// The scheduler found no node for a created pod (PodScheduled=False, Unschedulable): the node pool filled up after the
/// snapshot said it fits. Nothing ran and the pod is deleted, so it is a refusal like a placement-time one — the core
/// tries its next candidate — with the scheduler's message as each variant's why-not.
/// </summary>
public sealed class UnschedulablePodException : PlacementException
{
    private UnschedulablePodException(string message, IReadOnlyList<string> variants, IReadOnlyList<CandidateVerdict> verdicts)
        : base(message, variants, [], [.. verdicts.Select(v => $"{v.Variant}: {v.Reason}")], verdicts)
    {
    }

    internal static UnschedulablePodException For(string pod, PodPlacement placement, string? schedulerMessage)
    {
        var reason = $"unschedulable at run time (the scheduler: {schedulerMessage ?? "no node fits"})";
        var verdicts = placement.Variants.Select(v => new CandidateVerdict(v.Platform, "scheduler", reason)).ToList();
        return new UnschedulablePodException(
            $"Kubernetes cannot schedule pod {pod} ({string.Join(", ", placement.Variants.Select(v => v.Platform))}): {schedulerMessage}. It was deleted; the next candidate is tried.",
            [.. placement.Variants.Select(v => v.Platform)],
            verdicts);
    }
}
