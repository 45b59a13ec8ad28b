using Polyarch.Registry.Manifests;

namespace Polyarch.Registry.Platforms;

/// <summary>
/// containerd-like platform matching: exact variant first, then older variants of the same architecture
/// (amd64 v4→v3→v2→v1; arm64 v8.x downwards; arm v8→v7→v6→v5); the first matching index entry wins.
/// </summary>
public static class PlatformMatcher
{
    /// <summary>True when an image built for <paramref name="candidate"/> runs on <paramref name="requested"/>.</summary>
    public static bool IsCompatible(Platform requested, Platform candidate) => Rank(requested, candidate) is not null;

    /// <summary>The best runnable entry for a platform, or null; among equally good entries the first wins.</summary>
    public static Descriptor? SelectBest(Platform requested, IEnumerable<Descriptor> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Descriptor? best = null;
        var bestRank = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (!candidate.IsRunnable || Rank(requested, candidate.Platform!) is not { } rank || rank >= bestRank)
            {
                continue;
            }

            best = candidate;
            bestRank = rank;
        }

        return best;
    }

    /// <summary>0 for an exact match, higher for older compatible variants, null when incompatible.</summary>
    internal static int? Rank(Platform requested, Platform candidate)
    {
        ArgumentNullException.ThrowIfNull(requested);
        ArgumentNullException.ThrowIfNull(candidate);
        var want = requested.Normalize();
        var have = candidate.Normalize();
        if (want.Os != have.Os || want.Architecture != have.Architecture || have.IsUnknown)
        {
            return null;
        }

        if (want.Variant == have.Variant)
        {
            return 0;
        }

        var wanted = VariantLevel(want);
        var offered = VariantLevel(have);
        if (wanted is null || offered is null)
        {
            // Architectures without an ordered variant family (ppc64le, s390x …): a variant-less image runs anywhere.
            return have.Variant is null ? 1 : null;
        }

        return offered <= wanted ? 1 + (int)Math.Round((wanted.Value - offered.Value) * 10) : null;
    }

    // A comparable level for variant families containerd orders; null for no order.
    private static double? VariantLevel(Platform platform) => platform.Architecture switch
    {
        "amd64" => ParseLevel(platform.Variant, defaultLevel: 1),
        "arm64" => ParseLevel(platform.Variant, defaultLevel: 8),
        "arm" => ParseLevel(platform.Variant, defaultLevel: 7),
        _ => null,
    };

    private static double? ParseLevel(string? variant, double defaultLevel)
    {
        if (variant is null)
        {
            return defaultLevel;
        }

        return variant.StartsWith('v')
            && double.TryParse(variant.AsSpan(1), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var level)
            ? level
            : null;
    }
}
