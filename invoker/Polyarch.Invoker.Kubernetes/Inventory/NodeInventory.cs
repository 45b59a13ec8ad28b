using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Kubernetes.Inventory;

/// <summary>
/// The cluster's nodes kept current informer-style: list once, then watch from that resourceVersion;
/// a 410 Gone (events compacted away) means list again. Placement reads <see cref="Snapshot"/> and never
/// lists nodes per activation.
/// </summary>
internal sealed partial class NodeInventory : IAsyncDisposable
{
    private readonly IKubernetes _client;
    private readonly ILogger<NodeInventory> _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, ClusterNode> _nodes = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private volatile ClusterSnapshot _snapshot = ClusterSnapshot.Empty;
    private Task? _loop;
    private int _lists;
    private int _disposed;

    public NodeInventory(IKubernetes client, ILogger<NodeInventory> logger, TimeProvider time)
    {
        _client = client;
        _logger = logger;
        _time = time;
    }

    /// <summary>The nodes as of the last event seen.</summary>
    public ClusterSnapshot Snapshot => _snapshot;

    /// <summary>How many full lists were made (1 + one per 410 Gone).</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Raised after every change of <see cref="Snapshot"/> (tests wait on it).</summary>
    public event Action<ClusterSnapshot>? Changed;

    /// <summary>Starts listing and watching; completes once the first list is in.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

        // The loop retries what it knows (HTTP, 410, I/O); anything else ends it, and then the first list never comes:
        // fail with that error instead of waiting for it forever.
        var first = await Task.WhenAny(_synced.Task, _loop).WaitAsync(cancellationToken);
        if (first == _loop && !_synced.Task.IsCompleted)
        {
            await _loop;
            throw new ClusterUnavailableException($"The node list/watch of {_client.BaseUri} stopped before the first list arrived. Check the API server and try again.");
        }

        await _synced.Task;
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await ListAsync(cancellationToken);
                while (resourceVersion is not null)
                {
                    resourceVersion = await WatchAsync(resourceVersion, cancellationToken);
                }

                LogGone(_logger);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Gone)
            {
                LogGone(_logger);
            }
            catch (Exception ex) when (ex is HttpRequestException or HttpOperationException or IOException or KubernetesException)
            {
                LogWatchFailed(_logger, ex);
                _synced.TrySetException(new ClusterUnavailableException(
                    $"Cannot list the cluster's nodes at {_client.BaseUri}: {ex.Message}. Check KUBECONFIG (or the in-cluster service account) and that the invoker may get/list/watch nodes (invoker/deploy/rbac.yaml).",
                    ex));
                await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken);
            }
        }
    }

    private async Task<string> ListAsync(CancellationToken cancellationToken)
    {
        var list = await _client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        Interlocked.Increment(ref _lists);
        _nodes.Clear();
        foreach (var node in list.Items)
        {
            _nodes[node.Metadata.Name] = ClusterNode.From(node);
        }

        var resourceVersion = list.Metadata?.ResourceVersion ?? "0";
        Publish(resourceVersion);
        _synced.TrySetResult();
        LogListed(_logger, _nodes.Count, resourceVersion);
        return resourceVersion;
    }

    /// <summary>Watches from a resourceVersion; returns where to resume, or null when the version is gone (list again).</summary>
    private async Task<string?> WatchAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var gone = false;
        var events = _client.CoreV1.WatchListNodeAsync(
            allowWatchBookmarks: true,
            resourceVersion: resourceVersion,
            timeoutSeconds: 300,
            onError: ex => gone |= ex is KubernetesException { Status.Code: (int)HttpStatusCode.Gone },
            cancellationToken: cancellationToken);
        await foreach (var (type, node) in events)
        {
            resourceVersion = node.Metadata?.ResourceVersion ?? resourceVersion;
            switch (type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    _nodes[node.Metadata!.Name] = ClusterNode.From(node);
                    break;
                case WatchEventType.Deleted:
                    _nodes.Remove(node.Metadata!.Name);
                    break;
                default:
                    continue; // bookmarks only move the resourceVersion
            }

            Publish(resourceVersion);
        }

        return gone ? null : resourceVersion;
    }

    private void Publish(string resourceVersion)
    {
        var snapshot = new ClusterSnapshot(_nodes.Values, resourceVersion);
        _snapshot = snapshot;
        Changed?.Invoke(snapshot);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Information, Message = "Listed {Count} nodes at resourceVersion {ResourceVersion}")]
    private static partial void LogListed(ILogger logger, int count, string resourceVersion);

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Node watch expired (410 Gone); listing again")]
    private static partial void LogGone(ILogger logger);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Node list/watch failed; retrying in 1 s")]
    private static partial void LogWatchFailed(ILogger logger, Exception exception);
}
