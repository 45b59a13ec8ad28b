using System.Text.Json.Nodes;

using Polyarch.Invoker.Kubernetes;
using Polyarch.Invoker.Kubernetes.Integration;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>The `invoke --dry-run` path: only for the Kubernetes backend; prints the pod as YAML or JSON.</summary>
internal static class KubernetesDryRunCommand
{
    public static async Task<int> PrintAsync(
        IServiceProvider services, string? backend, string target, JsonObject parameters, string? platform, string? output, CancellationToken cancellationToken)
    {
        if (!BackendOption.IsKubernetes(backend))
        {
            throw new FormatException("--dry-run needs --backend kubernetes (it prints the pod that backend would create).");
        }

        if (output is not ("yaml" or "json"))
        {
            throw new FormatException($"--dry-run prints the pod as yaml or json; got --output {output ?? "text"}. Use --output yaml or --output json.");
        }

        var pod = await KubernetesDryRun.PlanAsync(services, target, parameters, platform, cancellationToken);
        Console.WriteLine(KubernetesDryRun.Format(pod, output));
        return 0;
    }
}
