namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>What a pod's status says, classified so each failure gets its own activation status.</summary>
internal enum PodPhase
{
    Pending,
    Running,
    Succeeded,
    Failed,

    /// <summary>The scheduler found no node (PodScheduled=False, reason Unschedulable): a system error.</summary>
    Unschedulable,

    /// <summary>ErrImagePull / ImagePullBackOff / InvalidImageName: a system error with the pull message.</summary>
    ImagePullFailed,

    /// <summary>The node could not execute the entrypoint (wrong architecture binary): an action developer error.</summary>
    ExecFormatError,

    /// <summary>The container was OOM-killed: an action developer error.</summary>
    OutOfMemory,

    /// <summary>activeDeadlineSeconds passed: an action developer error (timeout).</summary>
    DeadlineExceeded,
}
