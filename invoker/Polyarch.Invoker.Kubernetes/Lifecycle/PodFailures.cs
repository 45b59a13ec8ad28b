using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>Status and message for a pod that did not produce a result, one clear text per cause.</summary>
internal static class PodFailures
{
    public static (string Status, JsonNode Result) Describe(PodObservation observation, string podName, string image, string? platform)
    {
        var where = observation.Node is null ? "" : $" on node {observation.Node}{(platform is null ? "" : $" ({platform})")}";
        return observation.Phase switch
        {
            PodPhase.Unschedulable => (ActivationStatus.SystemError, OutcomeClassifier.ErrorObject(
                $"Kubernetes cannot schedule pod {podName}: {observation.Message}. Free or add a node that matches the pod's affinity and requests.")),
            PodPhase.ImagePullFailed => (ActivationStatus.SystemError, OutcomeClassifier.ErrorObject(
                $"The node{where} cannot pull {image}: {observation.Message}. Check that the registry is reachable from the cluster and the digest exists.")),
            PodPhase.ExecFormatError => (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject(
                $"exec format error{where}: the image's entrypoint for this platform is a binary of another architecture ({observation.Message}). Rebuild the variant for {platform ?? "the node's platform"}.")),
            PodPhase.OutOfMemory => (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject(
                $"The action ran out of memory{where} (OOMKilled). Raise the action's memory limit.")),
            PodPhase.DeadlineExceeded => (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject(
                $"The action exceeded its time limit{where}: {observation.Message}")),
            _ => (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject(
                $"The action's container failed{where} with exit code {observation.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}: {observation.Message}")),
        };
    }
}
