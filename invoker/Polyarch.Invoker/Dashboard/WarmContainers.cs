using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// Warm containers per platform: the running containers of this invoker instance (by label), each counted under the
/// platform of the activation that started it (a prewarmed one, whose activation has no record, under "prewarmed").
/// </summary>
internal sealed class WarmContainers(IServiceProvider services, IOptions<InvokerOptions> options, IActivationStore activations)
{
    public async Task<IReadOnlyDictionary<string, int>> PerPlatformAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<DockerClientProvider>() is not { } docker)
        {
            return new Dictionary<string, int>();
        }

        try
        {
            var containers = await docker.Client.Containers.ListContainersAsync(
                new ContainersListParameters
                {
                    Filters = new Dictionary<string, IDictionary<string, bool>>
                    {
                        ["label"] = new Dictionary<string, bool> { [$"{ImageLabels.Managed}=true"] = true, [$"{ImageLabels.Instance}={options.Value.InstanceId}"] = true },
                        ["status"] = new Dictionary<string, bool> { ["running"] = true },
                    },
                },
                cancellationToken);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var container in containers)
            {
                var platform = "prewarmed";
                if (container.Labels.TryGetValue(ImageLabels.Activation, out var id) && ActivationId.IsValid(id)
                    && await activations.GetAsync(id, cancellationToken) is { Platform: { } recorded })
                {
                    platform = recorded;
                }

                counts[platform] = counts.GetValueOrDefault(platform) + 1;
            }

            return counts;
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or DockerApiException or TimeoutException)
        {
            return new Dictionary<string, int>();
        }
    }
}
