namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>Why one node cannot take the pod (empty reasons: it can).</summary>
internal sealed record NodeVerdict(string Node, string Platform, IReadOnlyList<string> Reasons)
{
    public bool Fits => Reasons.Count == 0;
}
