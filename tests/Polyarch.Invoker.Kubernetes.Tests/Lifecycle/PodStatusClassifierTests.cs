using k8s.Models;
using Polyarch.Invoker.Kubernetes.Lifecycle;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>Pod statuses as a kubelet reports them, classified into distinct phases.</summary>
public sealed class PodStatusClassifierTests
{
    public static TheoryData<string, V1PodStatus?, string> Statuses => new()
    {
        { "no status yet", null, nameof(PodPhase.Pending) },
        { "empty status", new V1PodStatus(), nameof(PodPhase.Pending) },
        { "unschedulable", new V1PodStatus { Phase = "Pending", Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/4 nodes are available" }] }, nameof(PodPhase.Unschedulable) },
        { "err image pull", Waiting("ErrImagePull", "not found"), nameof(PodPhase.ImagePullFailed) },
        { "image pull back-off", Waiting("ImagePullBackOff", "Back-off pulling image"), nameof(PodPhase.ImagePullFailed) },
        { "invalid image name", Waiting("InvalidImageName", "bad"), nameof(PodPhase.ImagePullFailed) },
        { "container creating", Waiting("ContainerCreating", null), nameof(PodPhase.Pending) },
        { "exec format error (StartError)", Terminated("Failed", "StartError", 128, "exec: \"/bin/sh\": exec format error: unknown"), nameof(PodPhase.ExecFormatError) },
        { "exec format error (CreateContainerError)", Waiting("CreateContainerError", "EXEC FORMAT ERROR"), nameof(PodPhase.ExecFormatError) },
        { "oom", Terminated("Failed", "OOMKilled", 137, null), nameof(PodPhase.OutOfMemory) },
        { "deadline", new V1PodStatus { Phase = "Failed", Reason = "DeadlineExceeded", Message = "Pod was active on the node longer than the specified deadline" }, nameof(PodPhase.DeadlineExceeded) },
        { "completed", Terminated("Succeeded", "Completed", 0, null), nameof(PodPhase.Succeeded) },
        { "exit 1", Terminated("Failed", "Error", 1, null), nameof(PodPhase.Failed) },
        { "running", new V1PodStatus { Phase = "Running", PodIP = "10.0.0.7", ContainerStatuses = [new V1ContainerStatus { Name = "action", Image = "x", ImageID = "", Ready = true, RestartCount = 0, State = new V1ContainerState { Running = new V1ContainerStateRunning() } }] }, nameof(PodPhase.Running) },
        { "running phase without a running container", new V1PodStatus { Phase = "Running" }, nameof(PodPhase.Pending) },
        { "unknown phase", new V1PodStatus { Phase = "Unknown" }, nameof(PodPhase.Pending) },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Classify_reads_the_status_like_a_person_would(string because, V1PodStatus? status, string expected)
    {
        var observation = PodStatusClassifier.Classify(new V1Pod { Metadata = new V1ObjectMeta { Name = "p" }, Status = status });

        observation.Phase.ToString().ShouldBe(expected, because);
    }

    private static V1PodStatus Waiting(string reason, string? message) => new()
    {
        Phase = "Pending",
        ContainerStatuses = [new V1ContainerStatus { Name = "action", Image = "x", ImageID = "", Ready = false, RestartCount = 0, State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } } }],
    };

    private static V1PodStatus Terminated(string phase, string reason, int exitCode, string? message) => new()
    {
        Phase = phase,
        ContainerStatuses = [new V1ContainerStatus { Name = "action", Image = "x", ImageID = "", Ready = false, RestartCount = 0, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode, Reason = reason, Message = message } } }],
    };
}
