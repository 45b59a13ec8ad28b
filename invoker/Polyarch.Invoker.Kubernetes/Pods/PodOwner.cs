using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Pods;

/// <summary>
/// Makes the invoker's own pod the owner of the action pods it creates, so Kubernetes' garbage collector deletes
/// them when that invoker pod is gone — the warm pods a replaced invoker leaves behind, which its janitor (running
/// only at the next start-up of the same instance id) never sees. The name and uid come from the downward API
/// (Kubernetes:OwnerPodName / Kubernetes:OwnerPodUid, set by invoker/deploy/deployment.yaml).
/// </summary>
internal static class PodOwner
{
    /// <summary>Adds the ownerReference when both the owner's name and uid are known; otherwise returns the pod unchanged.</summary>
    public static V1Pod Apply(V1Pod pod, string? ownerName, string? ownerUid)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (string.IsNullOrWhiteSpace(ownerName) || string.IsNullOrWhiteSpace(ownerUid))
        {
            return pod;
        }

        pod.Metadata.OwnerReferences =
        [
            .. pod.Metadata.OwnerReferences ?? [],
            // Not a controller reference: the invoker pod only owns the action pod for garbage collection, and
            // blockOwnerDeletion would need the invoker to hold "update pods/finalizers" for nothing.
            new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = ownerName, Uid = ownerUid },
        ];
        return pod;
    }
}
