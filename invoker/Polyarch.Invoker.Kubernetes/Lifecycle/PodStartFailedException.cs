using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>A warm pod could not be started or initialised; <see cref="Run"/> is the activation's outcome (the pod is gone).</summary>
internal sealed class PodStartFailedException(BackendRun run) : Exception(run.Result?.ToJsonString() ?? run.Status)
{
    public BackendRun Run { get; } = run;
}
