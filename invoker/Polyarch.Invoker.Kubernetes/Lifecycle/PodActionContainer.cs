using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// A running http action pod as the core's warm pool sees it (the Kubernetes counterpart of the Docker backend's
/// container): where to reach it, how far its log was read; disposing it deletes the pod.
/// </summary>
internal sealed class PodActionContainer(PodClient pods, string name, string? node, Uri address) : IWarmContainer
{
    private volatile bool _alive = true;
    private int _disposed;

    /// <summary>The pod's name.</summary>
    public string Id { get; } = name;

    public bool IsAlive => _alive;

    public string? Node { get; } = node;

    public Uri Address { get; } = address;

    /// <summary>How long /init took (the first activation's init time; the pod's start counts as its wait).</summary>
    public TimeSpan InitDuration { get; set; }

    /// <summary>The kubelet timestamp of the last log line attributed to an activation (null: nothing read yet).</summary>
    public DateTimeOffset? LastLog { get; set; }

    /// <summary>When the log was last read (TimeProvider timestamp): the next read asks only for the time since then.</summary>
    public long LastLogRead { get; set; }

    /// <summary>Never reused again (unreachable, its action broke).</summary>
    public void MarkDead() => _alive = false;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _alive = false;
        await pods.DeleteAsync(Id, CancellationToken.None);
    }
}
