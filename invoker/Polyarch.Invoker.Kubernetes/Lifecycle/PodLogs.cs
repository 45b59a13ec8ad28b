namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A pod's log lines, read up to a byte bound; <see cref="Truncated"/> when the bound cut it.</summary>
internal sealed record PodLogs(IReadOnlyList<string> Lines, bool Truncated)
{
    public static readonly PodLogs None = new([], false);
}
