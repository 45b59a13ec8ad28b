using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Platforms;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.Placement;

/// <summary>
/// Intersects an image's runnable variants with a backend's inventory and the action's and variant's needs, and ranks
/// what fits: a candidate with an idle warm container first and one whose pool is full last; between them the action's
/// preferred platforms, then data locality (the weights of the action's wishes its nodes match), then native before
/// emulated, then index order. Never places blindly: a failure names the image's platforms, the backend's and each reason.
/// </summary>
internal static class PlacementEngine
{
    /// <summary>The best candidate; throws the why-not table when none fits.</summary>
    public static PlacementDecision Place(ImageVariants image, BackendInventory inventory, PlacementRequest request) =>
        Rank(image, inventory, request).Decisions[0];

    /// <summary>
    /// The data-locality score of a platform: the best node's sum of the weights of the wishes its labels match (0 when
    /// the backend has no node labels, as on Docker).
    /// </summary>
    public static int LocalityScore(BackendInventory inventory, string platform, IReadOnlyList<DataLocalityPreference> wishes)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(wishes);
        if (wishes.Count == 0)
        {
            return 0;
        }

        return inventory.NodeLabels
            .Where(p => PlatformName.IsCompatible(p.Key, platform))
            .SelectMany(p => p.Value)
            .Select(labels => wishes.Where(w => labels.TryGetValue(w.Label, out var value) && value == w.Value).Sum(w => w.Weight))
            .DefaultIfEmpty(0)
            .Max();
    }

    /// <summary>
    /// Every candidate that fits, best first (the action's required and preferred platforms, native before emulated,
    /// then index order), with the why-not of the others; throws when none fits. <c>load</c> is the warm pool's load of a
    /// candidate (null: not known, every candidate available).
    /// </summary>
    public static PlacementRanking Rank(ImageVariants image, BackendInventory inventory, PlacementRequest request, Func<PlacementDecision, PoolLoad>? load = null)
    {
        var failures = new List<string>();
        var verdicts = new List<CandidateVerdict>();
        var candidates = Candidates(image, request, failures, verdicts);
        var placed = new List<(PlacementDecision Decision, (int, int, int, int, int) Rank)>();
        foreach (var (variant, index) in candidates)
        {
            var decision = TryPlace(image.RepositoryName, variant, inventory, request, out var failure, out var target);
            if (decision is null)
            {
                failures.Add($"{variant.Platform}: {failure}");
                verdicts.Add(new CandidateVerdict(variant.Platform, target, failure!));
                continue;
            }

            placed.Add((decision, Rank(decision, inventory, request, index, load?.Invoke(decision) ?? PoolLoad.Available)));
        }

        if (placed.Count > 0)
        {
            return new PlacementRanking([.. placed.OrderBy(p => p.Rank).Select(p => p.Decision)], failures, verdicts);
        }

        throw Failure(image, inventory, request, failures, verdicts);
    }

    /// <summary>
    /// The failure after every ranked candidate was refused by the backend (its targets full or refusing): the
    /// ranking's why-not rows plus each refusal's.
    /// </summary>
    public static PlacementException Refused(
        ImageVariants image, BackendInventory inventory, PlacementRequest request, PlacementRanking ranking, IReadOnlyList<(PlacementDecision Candidate, PlacementException Refusal)> refusals)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(refusals);
        var failures = ranking.Failures.ToList();
        var verdicts = ranking.Excluded.ToList();
        foreach (var (candidate, refusal) in refusals)
        {
            // A refusal judges every target; the rows of the candidate's own targets are its why-not.
            var platform = candidate.Variant.Platform;
            var own = refusal.Candidates.Where(c => PlatformName.IsCompatible(c.Variant, platform)).ToList();
            verdicts.AddRange(own.Count > 0 ? own : [new CandidateVerdict(platform, "-", refusal.Message)]);
            failures.Add(own.Count > 0
                ? $"{platform}: {string.Join("; ", own.Select(c => $"{c.Target}: {c.Reason}"))}"
                : $"{platform}: {refusal.Message}");
        }

        return Failure(image, inventory, request, failures, verdicts);
    }

    /// <summary>
    /// The variants an explicit platform and the action's required platforms allow, the action's preferred platforms first
    /// (in their order), then index order — the one platform filter and preference order, which a backend that judges its
    /// own targets (Kubernetes nodes) applies before them. <paramref name="failures"/> says why when none is left.
    /// </summary>
    public static List<VariantInfo> Allowed(IReadOnlyList<VariantInfo> variants, string? platform, ActionPlacement rules, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(failures);
        var request = new PlacementRequest(platform, rules, new Requirements(0, 0, 0));
        return [.. Filter([.. variants.Select((v, i) => (v, i))], request, failures)
            .OrderBy(c => Preference(rules, c.v.Platform))
            .ThenBy(c => c.i)
            .Select(c => c.v)];
    }

    /// <summary>The position of the first of the action's preferred platforms the variant's platform satisfies (int.MaxValue: none).</summary>
    public static int Preference(ActionPlacement rules, string platform)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var preferred = rules.Preferred.ToList().FindIndex(p => PlatformName.IsCompatible(p, platform));
        return preferred < 0 ? int.MaxValue : preferred;
    }

    private static List<(VariantInfo Variant, int Index)> Candidates(ImageVariants image, PlacementRequest request, List<string> failures, List<CandidateVerdict> verdicts)
    {
        var all = image.Variants.Select((v, i) => (v, i)).ToList();
        var candidates = Filter(all, request, failures);
        foreach (var (variant, _) in all.Except(candidates))
        {
            verdicts.Add(new CandidateVerdict(variant.Platform, "-", request.Platform is { } requested && !PlatformName.IsSame(requested, variant.Platform)
                ? $"not the requested platform {requested}"
                : $"not among the action's required platforms ({string.Join(", ", request.Rules.Required)})"));
        }

        return candidates;
    }

    private static List<(VariantInfo v, int i)> Filter(List<(VariantInfo v, int i)> all, PlacementRequest request, List<string> failures)
    {
        if (request.Platform is { } requested)
        {
            var matching = all.Where(c => PlatformName.IsCompatible(requested, c.v.Platform)).ToList();
            if (matching.Count == 0)
            {
                failures.Add($"the image has no variant for {requested}");
            }
            else if (PlatformName.HasVariant(requested) && !matching.Any(c => PlatformName.IsSame(requested, c.v.Platform)))
            {
                // A request that names a variant means that variant: an older compatible one (which containerd would
                // take) is not run in its place without the caller asking for it by name.
                failures.Add($"the image has no {requested} variant (the compatible {string.Join(", ", matching.Select(c => c.v.Platform).Distinct(StringComparer.Ordinal))} is another variant: ask for it by name to run it)");
                matching = [];
            }

            if (request.Rules.Required.Count > 0 && !request.Rules.Required.Any(r => PlatformName.IsCompatible(r, requested)))
            {
                failures.Add($"{requested} is not among the action's required platforms ({string.Join(", ", request.Rules.Required)})");
                return [];
            }

            return matching;
        }

        if (request.Rules.Required.Count > 0)
        {
            var allowed = all.Where(c => request.Rules.Required.Any(r => PlatformName.IsCompatible(r, c.v.Platform))).ToList();
            if (allowed.Count == 0)
            {
                failures.Add($"the image has none of the action's required platforms ({string.Join(", ", request.Rules.Required)})");
            }

            return allowed;
        }

        return all;
    }

    private static PlacementDecision? TryPlace(string repository, VariantInfo variant, BackendInventory inventory, PlacementRequest request, out string? failure, out string target)
    {
        target = "-";
        var platform = inventory.Platforms.FirstOrDefault(p => PlatformName.IsCompatible(p.Platform, variant.Platform) && !p.Emulated)
            ?? inventory.Platforms.FirstOrDefault(p => PlatformName.IsCompatible(p.Platform, variant.Platform));
        if (platform is null)
        {
            failure = "the backend cannot run it (no native support and no QEMU binfmt handler)";
            return null;
        }

        target = platform.ToString();

        if (platform.Emulated && !request.Rules.AllowEmulation)
        {
            failure = "only emulated here and the action does not allow emulation";
            return null;
        }

        if (!VariantRequirements.TryCombine(request.Requirements, variant.Labels, VariantRequirements.Describe(repository, variant.Digest, variant.Platform), out var needs, out var labelErrors))
        {
            failure = string.Join("; ", labelErrors);
            return null;
        }

        if (needs.Gpus > inventory.Gpus)
        {
            var source = variant.Labels.TryGetValue(ImageLabels.RequiresGpu, out var gpu) ? $" ({ImageLabels.RequiresGpu}={gpu})" : "";
            failure = $"requires {needs.Gpus} GPU(s){source} but the backend has {inventory.Gpus}";
            return null;
        }

        if (needs.GpuProduct is { } product && inventory.GpuProducts is { } products && !products.Contains(product, StringComparer.Ordinal))
        {
            failure = $"requires GPU product {product} but the {inventory.Backend} backend's GPU nodes have {(products.Count == 0 ? "none named" : string.Join(", ", products))}";
            return null;
        }

        if (needs.Tpus > inventory.Tpus)
        {
            var source = variant.Labels.TryGetValue(ImageLabels.RequiresTpu, out var tpu) ? $" ({ImageLabels.RequiresTpu}={tpu})" : " (the action's tpus)";
            failure = inventory.Tpus == 0
                ? $"requires {needs.Tpus} TPU(s){source} but the {inventory.Backend} backend has none: TPUs (google.com/tpu) run on Kubernetes nodes only"
                : $"requires {needs.Tpus} TPU(s){source} but the {inventory.Backend} backend has {inventory.Tpus}";
            return null;
        }

        if (inventory.MemoryBytes > 0 && needs.MemoryBytes > inventory.MemoryBytes)
        {
            failure = $"requires {Quantity.Format(needs.MemoryBytes)} of memory but the backend has {Quantity.Format(inventory.MemoryBytes)}";
            return null;
        }

        if (inventory.Cpus > 0 && needs.Cpus > inventory.Cpus)
        {
            failure = $"requires {needs.Cpus} CPUs but the backend has {inventory.Cpus}";
            return null;
        }

        failure = null;
        return new PlacementDecision(variant, platform, needs);
    }

    private static (int Load, int Preference, int Locality, int Emulated, int Index) Rank(PlacementDecision decision, BackendInventory inventory, PlacementRequest request, int index, PoolLoad load)
    {
        var loadRank = load switch { PoolLoad.Idle => 0, PoolLoad.Full => 2, _ => 1 };
        return (loadRank, Preference(request.Rules, decision.Variant.Platform), -LocalityScore(inventory, decision.Variant.Platform, request.Rules.DataLocality), decision.Platform.Emulated ? 1 : 0, index);
    }

    private static PlacementException Failure(ImageVariants image, BackendInventory inventory, PlacementRequest request, List<string> failures, List<CandidateVerdict> verdicts)
    {
        var imagePlatforms = image.Variants.Select(v => v.Platform).ToList();
        var target = request.Platform is null ? "any platform" : request.Platform;
        var message =
            $"Cannot place {image.Image} on {target}: {string.Join("; ", failures)}. " +
            $"The image has {Join(imagePlatforms)}; the {inventory.Backend} backend on {inventory.Node} runs {Join(inventory.Platforms.Select(p => p.ToString()))}" +
            $" with {inventory.Gpus} GPU(s). Pick one of the image's platforms the backend runs, or rebuild the image for the backend's platforms.";
        return new PlacementException(message, imagePlatforms, inventory.Platforms, failures, verdicts);
    }

    private static string Join(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "no runnable platforms" : string.Join(", ", list);
    }
}
