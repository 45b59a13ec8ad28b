namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A running http action pod: where to reach it and when it was last used.</summary>
internal sealed class WarmPod(string name, string key, string? node, Uri address)
{
    public string Name { get; } = name;

    public string Key { get; } = key;

    public string? Node { get; } = node;

    public Uri Address { get; } = address;

    public long LastUsed { get; set; }
}
