namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A classified pod status: phase, the node and IP it got, the exit code and the message to show.</summary>
internal sealed record PodObservation(PodPhase Phase, string? Node, string? PodIp, int? ExitCode, string? Message)
{
    /// <summary>Nothing more will happen to this pod by itself.</summary>
    public bool IsFinal => Phase is not (PodPhase.Pending or PodPhase.Running);
}
