namespace Polyarch.Invoker.Kubernetes.Inventory;

/// <summary>A node taint (key=value:effect).</summary>
internal sealed record NodeTaint(string Key, string? Value, string Effect)
{
    public override string ToString() => Value is null ? $"{Key}:{Effect}" : $"{Key}={Value}:{Effect}";
}
