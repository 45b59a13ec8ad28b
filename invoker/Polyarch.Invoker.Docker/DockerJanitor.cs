using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>Removes containers by Polyarch's labels: what an earlier run of this invoker instance left behind.</summary>
internal sealed partial class DockerJanitor(DockerClientProvider docker, ILogger<DockerJanitor> logger)
{
    public async Task<int> RemoveByLabelsAsync(IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        var filter = labels.ToDictionary(kv => $"{kv.Key}={kv.Value}", _ => true);
        var containers = await docker.Client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = filter },
            },
            cancellationToken);
        foreach (var container in containers)
        {
            try
            {
                await docker.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cancellationToken);
                LogRemoved(container.ID);
            }
            catch (DockerContainerNotFoundException)
            {
            }
            catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // "removal of container … is already in progress": a warm pool's background removal got there first.
            }
        }

        return containers.Count;
    }

    public Task<int> RemoveInstanceLeftoversAsync(string instanceId, CancellationToken cancellationToken) =>
        RemoveByLabelsAsync(new Dictionary<string, string> { [ImageLabels.Managed] = "true", [ImageLabels.Instance] = instanceId }, cancellationToken);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Removed leftover container {ContainerId}")]
    private partial void LogRemoved(string containerId);
}
