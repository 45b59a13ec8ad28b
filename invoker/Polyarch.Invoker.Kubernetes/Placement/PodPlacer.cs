using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>
/// Chooses what a pod may run from the image's variants, the action's platform rules and needs, and the cluster
/// snapshot. Never places blindly (the Multiarch Tuning Operator fails open): when no node can take any
/// candidate it throws the per-node reason table.
/// </summary>
internal static class PodPlacer
{
    public static PodPlacement Place(PodRequest request, ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(snapshot);
        var problems = new List<string>();
        var candidates = Candidates(request);
        var fitting = new List<(VariantInfo Variant, Requirements Needs)>();
        var needsByVariant = new Dictionary<VariantInfo, Requirements>();
        var asked = new Requirements(request.Gpus, request.MemoryBytes, request.Cpus, request.Tpus, request.GpuProduct);
        foreach (var variant in candidates)
        {
            VariantRequirements.TryCombine(asked, variant.Labels, VariantRequirements.Describe(request.RepositoryName, variant.Digest, variant.Platform), out var needs, out var errors);
            problems.AddRange(errors);
            needsByVariant[variant] = needs;
            if (AnyNodeFits(snapshot, variant, needs, request.NodeSelector))
            {
                fitting.Add((variant, needs));
            }
        }

        if (problems.Count > 0)
        {
            throw new PlacementFailedException(
                $"Cannot place {request.RepositoryName}@{request.IndexDigest}: {string.Join("; ", problems)}. Fix the labels in the image's Dockerfile and rebuild.");
        }

        if (fitting.Count == 0)
        {
            throw NoFit(request, snapshot, candidates, needsByVariant);
        }

        var (first, firstNeeds) = fitting[0];
        // One platform chosen (explicitly, for warm http pods, or because only one fits/needs the same):
        // pin the child digest so the record names exactly what ran. Otherwise pull the index everywhere.
        var same = fitting.Where(f => f.Needs == firstNeeds).Select(f => f.Variant).ToList();
        if (request.Platform is not null || request.Protocol == ActionProtocol.Http || same.Count == 1)
        {
            return new PodPlacement([first], Pinned: true, $"{request.RepositoryName}@{first.Digest}", firstNeeds);
        }

        return new PodPlacement(same, Pinned: false, $"{request.RepositoryName}@{request.IndexDigest}", firstNeeds);
    }

    /// <summary>
    /// Variants allowed by the explicit platform or the action's required platforms, preferred platforms first, then
    /// index order: the core's platform filter and preference order (<see cref="PlacementEngine.Allowed"/>), so both
    /// backends read an action's platforms the same way.
    /// </summary>
    private static List<VariantInfo> Candidates(PodRequest request)
    {
        var image = $"{request.RepositoryName}@{request.IndexDigest}";
        if (request.Variants.Count == 0)
        {
            throw new PlacementFailedException($"Image {image} has no runnable variants. Rebuild it for at least one linux platform.");
        }

        var failures = new List<string>();
        var rules = new ActionPlacement { Required = request.AllowedPlatforms, Preferred = request.PreferredPlatforms };
        var allowed = PlacementEngine.Allowed(request.Variants, request.Platform, rules, failures);
        if (allowed.Count == 0)
        {
            throw new PlacementFailedException(
                $"Cannot place {image}: {string.Join("; ", failures)} (it has {string.Join(", ", request.Variants.Select(v => v.Platform))}). " +
                "Run it on one of those platforms, change the action's platforms, or rebuild the image for the platform.");
        }

        return allowed;
    }

    private static bool AnyNodeFits(ClusterSnapshot snapshot, VariantInfo variant, Requirements needs, IReadOnlyDictionary<string, string> nodeSelector)
    {
        VariantInfo[] one = [variant];
        foreach (var node in snapshot.SchedulableOn($"{variant.Os}/{variant.Architecture}"))
        {
            if (NodeFit.Reasons(node, one, needs, nodeSelector).Count == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static NoFittingNodeException NoFit(PodRequest request, ClusterSnapshot snapshot, List<VariantInfo> candidates, Dictionary<VariantInfo, Requirements> needs)
    {
        var verdicts = snapshot.Nodes
            .Select(node =>
            {
                // Judge each node by the candidate of its own platform when there is one, so the reason is the real one.
                var variant = candidates.FirstOrDefault(v => v.Matches(node.Platform));
                var reasons = variant is null
                    ? NodeFit.Reasons(node, candidates, needs[candidates[0]], request.NodeSelector)
                    : NodeFit.Reasons(node, [variant], needs[variant], request.NodeSelector);
                return new NodeVerdict(node.Name, node.Platform, reasons, variant?.Platform);
            })
            .ToList();
        var summary =
            $"No node can run {request.ActionName} ({request.RepositoryName}@{request.IndexDigest}, variants {string.Join(", ", candidates.Select(c => $"{c.Platform} needing {needs[c]}"))}). " +
            "Free or add a node that matches, or lower the action's limits:";
        return new NoFittingNodeException(summary, verdicts, [.. candidates.Select(c => c.Platform)]);
    }
}
