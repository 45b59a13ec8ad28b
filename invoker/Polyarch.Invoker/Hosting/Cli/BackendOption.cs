using System.CommandLine;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Kubernetes;
using Polyarch.Invoker.Kubernetes.Integration;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`--backend docker|kubernetes` for the CLI verbs (the same as Invoker:Backend in configuration).</summary>
internal static class BackendOption
{
    public static Option<string?> Create() => new("--backend")
    {
        Description = "Where to run: docker (default) or kubernetes (KUBECONFIG or the in-cluster service account)",
    };

    public static bool IsKubernetes(string? backend) => string.Equals(backend, KubernetesBackend.Name, StringComparison.OrdinalIgnoreCase);

    /// <summary>`--context NAME`: the docker context (Docker backend) or the kubeconfig context (Kubernetes), as `docker --context` / `kubectl --context`.</summary>
    public static Option<string?> CreateContext() => new("--context")
    {
        Description = "The docker context (Docker backend, as `docker --context`) or kubeconfig context (--backend kubernetes, as `kubectl --context`)",
    };

    /// <summary>Configuration overrides that select the backend and its context (none when not given).</summary>
    public static Dictionary<string, string?> Overrides(string? backend, string? context = null)
    {
        var overrides = new Dictionary<string, string?>();
        if (backend is not null)
        {
            overrides[$"{InvokerOptions.SectionName}:Backend"] = backend;
        }

        if (!string.IsNullOrWhiteSpace(context))
        {
            // Only the backend in use reads its own; without --backend the configured one decides.
            if (backend is null || IsKubernetes(backend))
            {
                overrides[$"{KubernetesBackendOptions.Section}:Context"] = context;
            }

            if (backend is null || !IsKubernetes(backend))
            {
                overrides[$"{DockerBackendOptions.SectionName}:Context"] = context;
            }
        }

        return overrides;
    }
}
