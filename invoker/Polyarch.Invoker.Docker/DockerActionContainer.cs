using Docker.DotNet;
using Docker.DotNet.Models;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>A running HTTP action container: its published address and its output, read since it started.</summary>
internal sealed class DockerActionContainer(DockerClient client, string id, BoundedLog logs) : IWarmContainer
{
    private readonly CancellationTokenSource _pumpStop = new();
    private MultiplexedStream? _stream;
    private Task _pump = Task.CompletedTask;
    private volatile bool _alive = true;
    private int _disposed;

    public string Id { get; } = id;

    public bool IsAlive => _alive && _pump.Status is not System.Threading.Tasks.TaskStatus.RanToCompletion;

    public Uri BaseUri { get; set; } = new("http://127.0.0.1/");

    public BoundedLog Logs { get; } = logs;

    /// <summary>How long create, start and /init took (reported as the first activation's init time).</summary>
    public TimeSpan InitDuration { get; set; }

    /// <summary>Set once an activation waited for the sentinel and none came: this runtime does not print it.</summary>
    public bool PrintsNoSentinel { get; set; }

    public void MarkDead() => _alive = false;

    public void StartPump(MultiplexedStream stream)
    {
        _stream = stream;
        _pump = OutputPump.PumpAsync(stream, Logs, stdout: null, stdoutLog: Logs, _pumpStop.Token);
    }

    /// <summary>Waits briefly for output already on its way (the proxy may answer before its logs are read).</summary>
    public async Task SettleLogsAsync(TimeSpan wait, TimeProvider timeProvider)
    {
        if (_pump.IsCompleted || wait <= TimeSpan.Zero)
        {
            return;
        }

        await Task.WhenAny(_pump, Task.Delay(wait, timeProvider));
    }

    public async Task<ContainerInspectResponse?> InspectAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.Containers.InspectContainerAsync(Id, cancellationToken);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _alive = false;
        try
        {
            await client.Containers.RemoveContainerAsync(Id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerContainerNotFoundException)
        {
        }
        finally
        {
            await _pumpStop.CancelAsync();
            _stream?.Dispose();
            _pumpStop.Dispose();
        }
    }
}
