namespace Polyarch.Invoker.Kubernetes.Access;

/// <summary>
/// The kubelet could not dial the pod's port for a port-forward (nothing listens, "connection refused"; or the dial
/// failed otherwise): its error channel said so before any byte came back from the pod, so nothing written to this
/// connection reached the action — a request on it may be retried elsewhere.
/// </summary>
internal sealed class PortForwardDialFailedException(string message) : IOException(message);
