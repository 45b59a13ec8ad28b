namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>How the invoker talks to an action pod.</summary>
internal enum PodProtocol
{
    /// <summary>OpenWhisk action proxy on a port: POST /init, then /run; the pod stays warm.</summary>
    Http,

    /// <summary>Runs to completion with the parameters as its argument; the log's last line is the result.</summary>
    Exec,
}
