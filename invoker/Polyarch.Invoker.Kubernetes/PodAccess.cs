namespace Polyarch.Invoker.Kubernetes;

/// <summary>How the invoker reaches the port of a warm http action pod.</summary>
public enum PodAccess
{
    /// <summary>Pod IP when the invoker runs in the cluster (service-account credentials), else the API server's port-forward.</summary>
    Auto,

    /// <summary>http://podIP:port/ — needs a route to the pod network (in the cluster, or a flat network).</summary>
    PodIp,

    /// <summary>A WebSocket to the API server's pods/portforward (v4.channel.k8s.io) per connection — works from anywhere the API is reachable.</summary>
    PortForward,
}
