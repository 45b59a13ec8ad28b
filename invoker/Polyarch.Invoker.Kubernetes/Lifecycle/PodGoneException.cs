namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>The pod disappeared while the invoker waited for it.</summary>
public sealed class PodGoneException(string message) : InvokerException(message);
