using k8s;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>Builds the API client from the options: a kubeconfig (option, $KUBECONFIG, ~/.kube/config) or the in-cluster service account.</summary>
internal static class KubernetesConnection
{
    public static (IKubernetes Client, string Namespace) Connect(KubernetesBackendOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0);
        KubernetesClientConfiguration config;
        try
        {
            config = path is null && KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(path ?? KubernetesClientConfiguration.KubeConfigDefaultLocation, options.Context);
        }
        catch (Exception ex) when (ex is k8s.Exceptions.KubeConfigException or FileNotFoundException or IOException)
        {
            throw new ClusterUnavailableException(
                $"Cannot read the Kubernetes configuration ({path ?? "in-cluster service account, then " + KubernetesClientConfiguration.KubeConfigDefaultLocation}): {ex.Message}. Set KUBECONFIG or Kubernetes:Kubeconfig, or run the invoker in the cluster.",
                ex);
        }

        return (new k8s.Kubernetes(config), options.Namespace ?? config.Namespace ?? "default");
    }

    /// <summary>True when <see cref="Connect"/> uses the in-cluster service account (no kubeconfig given or found in $KUBECONFIG).</summary>
    public static bool IsInCluster(KubernetesBackendOptions options) =>
        options.Kubeconfig is null
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG"))
        && KubernetesClientConfiguration.IsInCluster();

    /// <summary>The access to warm http pods that <see cref="PodAccess.Auto"/> means here: pod IP in the cluster, else port-forward.</summary>
    public static PodAccess ResolveAccess(KubernetesBackendOptions options) =>
        options.PodAccess != PodAccess.Auto ? options.PodAccess : IsInCluster(options) ? PodAccess.PodIp : PodAccess.PortForward;
}
