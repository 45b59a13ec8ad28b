using System.CommandLine;

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

    /// <summary>Configuration overrides that select the backend (none when not given).</summary>
    public static Dictionary<string, string?> Overrides(string? backend) =>
        backend is null ? [] : new() { [$"{InvokerOptions.SectionName}:Backend"] = backend };
}
