using Microsoft.Extensions.Options;

using Polyarch.Invoker.Kubernetes;
using Polyarch.Invoker.Kubernetes.Integration;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>The Kubernetes half of `polyarch-invoker platforms`.</summary>
internal static class KubernetesPlatformsCommand
{
    public static async Task<int> PrintAsync(IServiceProvider services, OutputFormat format, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<KubernetesActionBackend>().GetInventoryAsync(cancellationToken);
        var snapshot = services.GetRequiredService<KubernetesBackend>().Inventory.Snapshot;
        var locality = services.GetRequiredService<IOptions<KubernetesBackendOptions>>().Value.DataLocalityLabels;
        Console.Write(format switch
        {
            OutputFormat.Json => KubernetesPlatformsView.Json(snapshot, locality) + Environment.NewLine,
            OutputFormat.Yaml => StructuredOutput.ToYaml(KubernetesPlatformsView.Json(snapshot, locality)) + Environment.NewLine,
            _ => KubernetesPlatformsView.Text(snapshot, locality),
        });
        return 0;
    }
}
