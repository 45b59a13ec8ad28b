using System.Text;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>No node of the cluster can take the pod; carries the per-node reason table (the core's candidate table).</summary>
public sealed class NoFittingNodeException : PlacementException
{
    internal NoFittingNodeException(string summary, IReadOnlyList<NodeVerdict> verdicts, IReadOnlyList<string> variants)
        : base(
            summary + Environment.NewLine + Table(verdicts),
            variants,
            [.. verdicts.Select(v => v.Platform).Distinct(StringComparer.Ordinal).Select(p => new BackendPlatform(p, Emulated: false))],
            [.. verdicts.Select(v => $"{v.Node} ({v.Platform}): {string.Join("; ", v.Reasons)}")],
            [.. verdicts.Select(v => new CandidateVerdict(v.Variant ?? v.Platform, v.Node, string.Join("; ", v.Reasons)))])
    {
        Verdicts = verdicts;
    }

    internal IReadOnlyList<NodeVerdict> Verdicts { get; }

    /// <summary>NODE / PLATFORM / WHY NOT, one row per node.</summary>
    internal static string Table(IReadOnlyList<NodeVerdict> verdicts)
    {
        var nodeWidth = Math.Max(4, verdicts.Select(v => v.Node.Length).DefaultIfEmpty(0).Max());
        var platformWidth = Math.Max(8, verdicts.Select(v => v.Platform.Length).DefaultIfEmpty(0).Max());
        var builder = new StringBuilder();
        builder.Append("NODE".PadRight(nodeWidth)).Append("  ").Append("PLATFORM".PadRight(platformWidth)).Append("  WHY NOT").AppendLine();
        foreach (var verdict in verdicts)
        {
            builder.Append(verdict.Node.PadRight(nodeWidth)).Append("  ").Append(verdict.Platform.PadRight(platformWidth)).Append("  ")
                .AppendJoin("; ", verdict.Reasons).AppendLine();
        }

        if (verdicts.Count == 0)
        {
            builder.AppendLine("(the cluster has no nodes)");
        }

        return builder.ToString();
    }
}
