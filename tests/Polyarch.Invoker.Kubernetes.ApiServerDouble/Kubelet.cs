using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// Plays the node's kubelet and container runtime for a bound pod, one MODIFIED event per step, with the
/// container states a real kubelet reports (ContainerCreating, ErrImagePull → ImagePullBackOff, StartError
/// with exec format error, Running, Completed).
/// </summary>
internal static class Kubelet
{
    public static void Run(V1Pod pod, V1Node node, ClusterState state)
    {
        var container = pod.Spec.Containers[0];
        var image = container.Image;
        Step(pod, state, Waiting(container, "ContainerCreating", null));

        var behaviour = state.Behaviour(pod);
        if (behaviour == PodBehaviour.RunToCompletion && PinnedToOtherArchitecture(image, node, state))
        {
            behaviour = PodBehaviour.ExecFormatError;
        }

        switch (behaviour)
        {
            case PodBehaviour.NeverStart:
                return;
            case PodBehaviour.ImagePullBackOff:
                Step(pod, state, Waiting(container, "ErrImagePull", state.PullMessage));
                Step(pod, state, Waiting(container, "ImagePullBackOff", $"Back-off pulling image \"{image}\": ErrImagePull: {state.PullMessage}"));
                return;
            case PodBehaviour.ExecFormatError:
                state.SetLog(pod, "exec /bin/sh: exec format error\n");
                pod.Status.Phase = "Failed";
                Step(pod, state, new V1ContainerStatus
                {
                    Name = container.Name,
                    Image = image,
                    ImageID = image,
                    Ready = false,
                    RestartCount = 0,
                    State = new V1ContainerState
                    {
                        Terminated = new V1ContainerStateTerminated
                        {
                            ExitCode = 128,
                            Reason = "StartError",
                            Message = "failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \"/bin/sh\": exec format error: unknown",
                        },
                    },
                });
                return;
        }

        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        pod.Status.Phase = "Running";
        pod.Status.PodIP = "127.0.0.1";
        pod.Status.PodIPs = [new V1PodIP { Ip = "127.0.0.1" }];
        pod.Status.StartTime = now;
        Step(pod, state, new V1ContainerStatus
        {
            Name = container.Name,
            Image = image,
            ImageID = image,
            Ready = true,
            Started = true,
            RestartCount = 0,
            State = new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = now } },
        });
        if (behaviour == PodBehaviour.Serve)
        {
            // The container runs: its log exists (empty until it prints; see ApiServerDouble.AppendLog).
            state.SetLog(pod, "");
            return;
        }

        state.SetLog(pod, state.LogWriter(pod, node));
        pod.Status.Phase = "Succeeded";
        Step(pod, state, new V1ContainerStatus
        {
            Name = container.Name,
            Image = image,
            ImageID = image,
            Ready = false,
            Started = false,
            RestartCount = 0,
            State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0, Reason = "Completed", StartedAt = now, FinishedAt = now } },
        });
    }

    private static bool PinnedToOtherArchitecture(string image, V1Node node, ClusterState state)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        return at >= 0
            && state.DigestArchitectures.TryGetValue(image[(at + 1)..], out var arch)
            && arch != node.Metadata.Labels?["kubernetes.io/arch"];
    }

    private static V1ContainerStatus Waiting(V1Container container, string reason, string? message) => new()
    {
        Name = container.Name,
        Image = container.Image,
        ImageID = "",
        Ready = false,
        RestartCount = 0,
        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = message } },
    };

    private static void Step(V1Pod pod, ClusterState state, V1ContainerStatus status)
    {
        pod.Status.ContainerStatuses = [status];
        state.Update(pod);
    }
}
