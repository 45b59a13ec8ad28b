using k8s;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>
/// Builds the API client from the options, as kubectl does: every file of Kubernetes:Kubeconfig, else of $KUBECONFIG, merged
/// (the first file to set a cluster, user, context or current-context wins; missing files are skipped), else the in-cluster
/// service account, else ~/.kube/config. Kubernetes:Context (`--context`) picks the context, else current-context.
/// </summary>
internal static class KubernetesConnection
{
    public static (IKubernetes Client, string Namespace) Connect(KubernetesBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var files = KubeconfigFiles(options);
        KubernetesClientConfiguration config;
        try
        {
            if (files.Count == 0 && KubernetesClientConfiguration.IsInCluster())
            {
                config = KubernetesClientConfiguration.InClusterConfig();
            }
            else
            {
                var existing = files.Count == 0 ? [new FileInfo(KubernetesClientConfiguration.KubeConfigDefaultLocation)] : files.Where(f => f.Exists).ToArray();
                if (existing.Length == 0 || !existing[0].Exists)
                {
                    throw new FileNotFoundException($"none of {string.Join(", ", files.Count == 0 ? [KubernetesClientConfiguration.KubeConfigDefaultLocation] : files.Select(f => f.FullName))} exists");
                }

                var merged = KubeconfigMerger.Load(existing);
                config = KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, options.Context);
            }
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            var where = files.Count == 0
                ? $"in-cluster service account, then {KubernetesClientConfiguration.KubeConfigDefaultLocation}"
                : string.Join(Path.PathSeparator, files.Select(f => f.FullName));
            var context = options.Context is null ? "" : $" (context '{options.Context}')";
            throw new ClusterUnavailableException(
                $"Cannot read the Kubernetes configuration{context} from {where}: {ex.Message}. Set KUBECONFIG or Kubernetes:Kubeconfig, " +
                "pick an existing context with --context or Kubernetes:Context (`kubectl config get-contexts`), or run the invoker in the cluster.",
                ex);
        }

        return (new k8s.Kubernetes(config), options.Namespace ?? config.Namespace ?? "default");
    }

    /// <summary>True when <see cref="Connect"/> uses the in-cluster service account (no kubeconfig given or found in $KUBECONFIG).</summary>
    public static bool IsInCluster(KubernetesBackendOptions options) =>
        KubeconfigFiles(options).Count == 0 && KubernetesClientConfiguration.IsInCluster();

    /// <summary>The access to warm http pods that <see cref="PodAccess.Auto"/> means here: pod IP in the cluster, else port-forward.</summary>
    public static PodAccess ResolveAccess(KubernetesBackendOptions options) =>
        options.PodAccess != PodAccess.Auto ? options.PodAccess : IsInCluster(options) ? PodAccess.PodIp : PodAccess.PortForward;

    /// <summary>The kubeconfig files in kubectl's order: the option's (one file or a list like KUBECONFIG), else each $KUBECONFIG entry once.</summary>
    internal static IReadOnlyList<FileInfo> KubeconfigFiles(KubernetesBackendOptions options) =>
        (options.Kubeconfig is { Length: > 0 } configured ? configured : Environment.GetEnvironmentVariable("KUBECONFIG") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Distinct(StringComparer.Ordinal)
                .Select(p => new FileInfo(p))
                .ToList();
}
