using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// Removes this instance's containers that exited behind its back — an engine restart, `docker kill`/`stop`, a
/// removal that failed while the engine was away — every <see cref="DockerBackendOptions.ExitedSweepInterval"/>, and
/// drops them from the warm pool (by io.polyarch.managed and io.polyarch.instance, conventions.md). A container goes
/// when two sweeps in a row find it exited: an activation still reading its container's exit (OOM kill, exit code)
/// keeps it for at least one interval.
/// </summary>
internal sealed partial class ExitedContainerSweeper(
    DockerClientProvider docker,
    WarmPool pool,
    IOptions<DockerBackendOptions> dockerOptions,
    IOptions<InvokerOptions> invokerOptions,
    TimeProvider timeProvider,
    ILogger<ExitedContainerSweeper> logger) : BackgroundService
{
    private HashSet<string> _seenExited = [];

    /// <summary>One sweep (the loop's body; tests call it directly): returns how many containers it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var instance = invokerOptions.Value.InstanceId;
        var exited = await docker.Client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ImageLabels.Managed}=true"] = true, [$"{ImageLabels.Instance}={instance}"] = true },
                    ["status"] = new Dictionary<string, bool> { ["exited"] = true, ["dead"] = true },
                },
            },
            cancellationToken);
        var now = exited.Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
        var due = now.Where(_seenExited.Contains).ToHashSet(StringComparer.Ordinal);
        _seenExited = now;
        if (due.Count == 0)
        {
            return 0;
        }

        var removedByPool = await pool.DropAsync(due);
        foreach (var id in due.Except(removedByPool, StringComparer.Ordinal))
        {
            try
            {
                await docker.Client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, cancellationToken);
            }
            catch (DockerContainerNotFoundException)
            {
            }
            catch (DockerApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                // "removal … is already in progress": its owner is removing it.
            }
        }

        _seenExited.ExceptWith(due);
        LogSwept(due.Count, removedByPool.Count, instance);
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(dockerOptions.Value.ExitedSweepInterval, timeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is DockerApiException or HttpRequestException or IOException or SocketException or TimeoutException)
            {
                // The engine is away (restarting?): the next tick tries again.
                LogSweepFailed(exception);
            }
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Removed {Count} exited containers of instance {InstanceId} ({Pooled} of them warm)")]
    private partial void LogSwept(int count, int pooled, string instanceId);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Could not sweep exited containers; trying again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
