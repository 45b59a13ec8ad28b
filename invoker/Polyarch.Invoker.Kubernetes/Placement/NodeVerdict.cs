namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>Why one node cannot take the pod (empty reasons: it can); <paramref name="Variant"/> is the candidate variant judged there, if any.</summary>
internal sealed record NodeVerdict(string Node, string Platform, IReadOnlyList<string> Reasons, string? Variant = null)
{
    public bool Fits => Reasons.Count == 0;
}
