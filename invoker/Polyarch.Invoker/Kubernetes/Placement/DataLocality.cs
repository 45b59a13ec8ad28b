namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>A soft wish to run near data: nodes labelled <paramref name="Label"/>=<paramref name="Value"/> score <paramref name="Weight"/> (1–100).</summary>
internal sealed record DataLocality(string Label, string Value, int Weight);
