using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>
/// Settings of the Kubernetes backend (section "Kubernetes", e.g. POLYARCH_Kubernetes__Namespace). Warm http pods live
/// in the core's warm pool: their idle timeout, caps and sweep are the "WarmPool" section's, as for Docker containers.
/// </summary>
public sealed class KubernetesBackendOptions
{
    public const string Section = "Kubernetes";

    /// <summary>
    /// The kubeconfig file, or a list of them separated like KUBECONFIG (merged as kubectl merges them); null means
    /// $KUBECONFIG (every entry, merged), then the in-cluster service account, then ~/.kube/config.
    /// </summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context (`--context`); null means the merged configuration's current-context.</summary>
    public string? Context { get; set; }

    /// <summary>The namespace action pods run in. <value>Default: the kubeconfig's namespace, else "default".</value></summary>
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string? Namespace { get; set; }

    /// <summary>This invoker's id, written to io.polyarch.instance on every pod. <value>Default: "invoker0".</value></summary>
    [Required]
    [MinLength(1)]
    public string Instance { get; set; } = "invoker0";

    /// <summary>Node label keys that carry data locality (zone, dataset …), shown in the inventory and used for preferred affinity.</summary>
    public List<string> DataLocalityLabels { get; init; } = ["topology.kubernetes.io/zone", "polyarch.io/dataset"];

    /// <summary>A pod template (YAML or JSON V1Pod) merged into every action pod, like OpenWhisk's ConfigMap template.</summary>
    public string? PodTemplateFile { get; set; }

    /// <summary>How long a pod may take to start (scheduled, pulled, running). <value>Default: 60 s (OpenWhisk's).</value></summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Upper bound of the log bytes read from a pod. <value>Default: 10 MiB (OpenWhisk's log limit).</value></summary>
    [Range(1024, 1L << 30)]
    public long MaxLogBytes { get; set; } = 10L << 20;

    /// <summary>
    /// Upper bound of the result kept: an exec action's result line, /init's answer, and an http action's /run result
    /// without its files (the /run answer itself is read up to Invoker:MaxAnswerBytes, files included, as on Docker).
    /// <value>Default: 1 MiB (OpenWhisk's).</value>
    /// </summary>
    [Range(16, 64L << 20)]
    public int MaxResultBytes { get; set; } = 1 << 20;

    /// <summary>
    /// How http action pods are reached: at their pod IP (in the cluster) or through the API server's port-forward
    /// (from outside). <value>Default: <see cref="PodAccess.Auto"/> — pod IP when the invoker runs in the cluster, else port-forward.</value>
    /// </summary>
    [EnumDataType(typeof(PodAccess))]
    public PodAccess PodAccess { get; set; } = PodAccess.Auto;

    /// <summary>
    /// The name of the pod this invoker runs in (downward API metadata.name), owner of every action pod it creates.
    /// <value>Default: null — no ownerReference (outside a cluster).</value>
    /// </summary>
    public string? OwnerPodName { get; set; }

    /// <summary>The uid of the pod this invoker runs in (downward API metadata.uid). <value>Default: null.</value></summary>
    public string? OwnerPodUid { get; set; }
}
