namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A warm pod could not be started or initialised; <see cref="Run"/> is the activation's outcome (the pod is gone).</summary>
internal sealed class PodStartFailedException(KubernetesRun run) : Exception(run.Result?.ToJsonString() ?? run.Status)
{
    public KubernetesRun Run { get; } = run;
}
