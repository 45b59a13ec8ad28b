namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>What the double's "kubelet" does with a pod once it is bound to a node.</summary>
public enum PodBehaviour
{
    /// <summary>Runs to completion: Running, then Succeeded with <see cref="ApiServerDouble.LogWriter"/>'s output as log.</summary>
    RunToCompletion,

    /// <summary>Becomes Running with pod IP 127.0.0.1 and stays (http actions served by an <see cref="ActionProxyDouble"/>).</summary>
    Serve,

    /// <summary>ErrImagePull, then ImagePullBackOff, with the registry's message.</summary>
    ImagePullBackOff,

    /// <summary>Stays in ContainerCreating forever.</summary>
    NeverStart,

    /// <summary>The runtime cannot exec the entrypoint: StartError with "exec format error".</summary>
    ExecFormatError,
}
