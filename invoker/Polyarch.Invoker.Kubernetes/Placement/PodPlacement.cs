using Polyarch.Invoker.Images;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>
/// The outcome of placement: the variants a pod may run (one when pinned), the image it pulls
/// (repository@child digest when pinned, else @index digest so each node pulls its own variant) and the needs.
/// </summary>
internal sealed record PodPlacement(IReadOnlyList<VariantInfo> Variants, bool Pinned, string Image, Requirements Needs)
{
    public IEnumerable<string> Architectures => Variants.Select(v => v.Architecture).Distinct(StringComparer.Ordinal);

    public IEnumerable<string> OperatingSystems => Variants.Select(v => v.Os).Distinct(StringComparer.Ordinal);

    /// <summary>The variant a node of this platform runs, or null.</summary>
    public VariantInfo? VariantFor(string platform) => Variants.FirstOrDefault(v => v.Matches(platform));
}
