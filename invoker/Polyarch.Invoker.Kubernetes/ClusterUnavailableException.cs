namespace Polyarch.Invoker.Kubernetes;

/// <summary>The Kubernetes API server could not be reached or refused the invoker (exit code 3).</summary>
public sealed class ClusterUnavailableException(string message, Exception? innerException = null)
    : InvokerException(message, innerException);
