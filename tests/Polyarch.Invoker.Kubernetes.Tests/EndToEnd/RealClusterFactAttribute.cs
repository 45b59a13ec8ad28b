namespace Polyarch.Invoker.Kubernetes.Tests.EndToEnd;

/// <summary>A fact that runs only against a real cluster: POLYARCH_K8S_E2E=1 and KUBECONFIG set; otherwise skipped, by name, with the reason.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("POLYARCH_K8S_E2E") != "1" || string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBECONFIG")))
        {
            Skip = "Real-cluster test: set POLYARCH_K8S_E2E=1 and KUBECONFIG (and POLYARCH_K8S_E2E_IMAGE, an index pullable by the cluster) to run it. See invoker/deploy/README.md.";
        }
    }
}
