namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>One request the double served: method, path and whether it was a watch.</summary>
public sealed record ApiCall(string Method, string Path, string Query)
{
    public bool IsWatch => Query.Contains("watch=true", StringComparison.OrdinalIgnoreCase) || Query.Contains("watch=1", StringComparison.Ordinal);

    public override string ToString() => $"{Method} {Path}{(IsWatch ? " (watch)" : "")}";
}
