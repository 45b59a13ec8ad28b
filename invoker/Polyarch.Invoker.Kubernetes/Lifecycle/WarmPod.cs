namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A running http action pod: where to reach it, when it was last used and how far its log was read.</summary>
internal sealed class WarmPod(string name, string key, string? node, Uri address)
{
    public string Name { get; } = name;

    public string Key { get; } = key;

    public string? Node { get; } = node;

    public Uri Address { get; } = address;

    /// <summary>When the pod was last given back (TimeProvider timestamp).</summary>
    public long LastUsed { get; set; }

    /// <summary>The kubelet timestamp of the last log line attributed to an activation (null: nothing read yet).</summary>
    public DateTimeOffset? LastLog { get; set; }

    /// <summary>When the log was last read (TimeProvider timestamp): the next read asks only for the time since then.</summary>
    public long LastLogRead { get; set; }
}
