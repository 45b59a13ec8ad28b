using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// Reads a V1Pod's status the way a person would: exec format errors (ENOEXEC, which the Multiarch Tuning
/// Operator only labels) and image pull failures and Unschedulable are recognised at once instead of waiting
/// for the start timeout.
/// </summary>
internal static class PodStatusClassifier
{
    private const string ExecFormat = "exec format error";

    public static PodObservation Classify(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var status = pod.Status;
        var node = pod.Spec?.NodeName;
        var ip = status?.PodIP;
        var container = status?.ContainerStatuses?.FirstOrDefault();
        var waiting = container?.State?.Waiting;
        var terminated = container?.State?.Terminated ?? container?.LastState?.Terminated;

        if (Mentions(waiting?.Message, ExecFormat) || Mentions(terminated?.Message, ExecFormat))
        {
            return new(PodPhase.ExecFormatError, node, ip, terminated?.ExitCode, waiting?.Message ?? terminated?.Message);
        }

        if (waiting?.Reason is "ErrImagePull" or "ImagePullBackOff" or "InvalidImageName" or "ErrImageNeverPull")
        {
            return new(PodPhase.ImagePullFailed, node, ip, null, $"{waiting.Reason}: {waiting.Message}");
        }

        if (terminated?.Reason == "OOMKilled")
        {
            return new(PodPhase.OutOfMemory, node, ip, terminated.ExitCode, terminated.Message ?? "OOMKilled");
        }

        if (status?.Reason == "DeadlineExceeded")
        {
            return new(PodPhase.DeadlineExceeded, node, ip, terminated?.ExitCode, status.Message);
        }

        var scheduled = status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False", Reason: "Unschedulable" })
        {
            return new(PodPhase.Unschedulable, node, ip, null, scheduled.Message);
        }

        return status?.Phase switch
        {
            "Succeeded" => new(PodPhase.Succeeded, node, ip, terminated?.ExitCode ?? 0, terminated?.Message),
            "Failed" => new(PodPhase.Failed, node, ip, terminated?.ExitCode, terminated?.Message ?? status.Message ?? terminated?.Reason),
            "Running" when container?.State?.Running is not null => new(PodPhase.Running, node, ip, null, null),
            _ => new(PodPhase.Pending, node, ip, null, waiting?.Reason),
        };
    }

    private static bool Mentions(string? text, string what) =>
        text?.Contains(what, StringComparison.OrdinalIgnoreCase) ?? false;
}
