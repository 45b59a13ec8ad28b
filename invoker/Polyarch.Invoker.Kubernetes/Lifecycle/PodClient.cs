using System.Net;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// The only API calls an activation makes: create its pod, watch that one pod (field selector, from the
/// create's resourceVersion — never polling), read its log with a byte limit, delete it. Plus the start-up
/// clean-up of orphans by label.
/// </summary>
internal sealed partial class PodClient
{
    private readonly IKubernetes _client;
    private readonly ILogger<PodClient> _logger;

    public PodClient(IKubernetes client, string @namespace, ILogger<PodClient> logger)
    {
        _client = client;
        Namespace = @namespace;
        _logger = logger;
    }

    public string Namespace { get; }

    public async Task<V1Pod> CreateAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        var created = await _client.CoreV1.CreateNamespacedPodAsync(pod, Namespace, cancellationToken: cancellationToken);
        LogCreated(_logger, created.Metadata.Name, Namespace);
        return created;
    }

    /// <summary>Watches one pod until <paramref name="done"/> holds or the pod reaches a final state; returns the last observation.</summary>
    public async Task<(PodObservation Observation, V1Pod Pod)> WaitAsync(V1Pod created, Func<PodObservation, bool> done, CancellationToken cancellationToken)
    {
        var name = created.Metadata.Name;
        var resourceVersion = created.Metadata.ResourceVersion;
        var last = (Observation: PodStatusClassifier.Classify(created), Pod: created);
        while (!done(last.Observation) && !last.Observation.IsFinal)
        {
            Exception? error = null;
            var events = _client.CoreV1.WatchListNamespacedPodAsync(
                Namespace,
                fieldSelector: $"metadata.name={name}",
                resourceVersion: resourceVersion,
                timeoutSeconds: 300,
                onError: ex => error = ex,
                cancellationToken: cancellationToken);
            await foreach (var (type, pod) in events)
            {
                resourceVersion = pod.Metadata?.ResourceVersion ?? resourceVersion;
                if (type == WatchEventType.Deleted)
                {
                    throw new PodGoneException($"Pod {Namespace}/{name} was deleted by someone else while the activation waited for it.");
                }

                if (type is not (WatchEventType.Added or WatchEventType.Modified))
                {
                    continue;
                }

                last = (PodStatusClassifier.Classify(pod), pod);
                if (done(last.Observation) || last.Observation.IsFinal)
                {
                    return last;
                }
            }

            if (error is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
            {
                // The version we watched from was compacted away: read the pod once and watch on from there.
                var current = await _client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: cancellationToken);
                resourceVersion = current.Metadata.ResourceVersion;
                last = (PodStatusClassifier.Classify(current), current);
            }
        }

        return last;
    }

    /// <summary>The pod as it is now, or null when it is gone.</summary>
    public async Task<V1Pod?> ReadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CoreV1.ReadNamespacedPodAsync(name, Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The container's log, at most <paramref name="maxBytes"/> bytes (the API's limitBytes), split into lines.</summary>
    public async Task<PodLogs> ReadLogsAsync(string name, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var limit = (int)Math.Min(maxBytes + 1, int.MaxValue);
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(
                name, Namespace, container: Pods.PodBuilder.ContainerName, limitBytes: limit, cancellationToken: cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            var truncated = buffer.Length > maxBytes;
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, maxBytes));
            var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            if (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return new PodLogs(lines, truncated);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            // 400: the container never started (nothing to read); 404: the pod is gone.
            return PodLogs.None;
        }
    }

    /// <summary>
    /// The lines a running pod logged after <paramref name="after"/> (a kubelet timestamp of an earlier read; null: all),
    /// at most <paramref name="maxBytes"/> bytes. Asks for timestamps and, when <paramref name="after"/> is known, only
    /// the last <paramref name="window"/> (sinceSeconds, measured on the invoker's monotonic clock, so node clock skew
    /// does not matter: the lines are then cut by the node's own timestamps).
    /// </summary>
    public async Task<TimestampedLogs> ReadLogsAfterAsync(string name, DateTimeOffset? after, TimeSpan window, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            var limit = (int)Math.Min(maxBytes + 1, int.MaxValue);
            int? sinceSeconds = after is null ? null : (int)Math.Min(int.MaxValue, Math.Ceiling(window.TotalSeconds) + 1);
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(
                name, Namespace, container: Pods.PodBuilder.ContainerName, limitBytes: limit, sinceSeconds: sinceSeconds, timestamps: true,
                cancellationToken: cancellationToken);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, maxBytes));
            return TimestampedLogs.Parse(text, after, buffer.Length > maxBytes);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return new TimestampedLogs([], after, false);
        }
    }

    /// <summary>One TCP connection to the pod's <paramref name="port"/> through the API server's port-forward (pods/portforward).</summary>
    public async Task<Stream> OpenPortForwardAsync(string name, int port, CancellationToken cancellationToken)
    {
        var socket = await _client.WebSocketNamespacedPodPortForwardAsync(
            name, Namespace, [port], WebSocketProtocol.V4BinaryWebsocketProtocol, cancellationToken: cancellationToken);
        LogPortForward(_logger, name, port);
        return new Access.PortForwardStream(socket, name, port);
    }

    /// <summary>Deletes a pod at once; a pod that is already gone is not an error.</summary>
    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await _client.CoreV1.DeleteNamespacedPodAsync(name, Namespace, gracePeriodSeconds: 0, cancellationToken: cancellationToken);
            LogDeleted(_logger, name, Namespace);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>Deletes every pod carrying this invoker instance's labels (left over from a crash); returns how many.</summary>
    public async Task<int> DeleteOrphansAsync(string instance, CancellationToken cancellationToken)
    {
        var pods = await _client.CoreV1.ListNamespacedPodAsync(Namespace, labelSelector: KubernetesLabels.InstanceSelector(instance), cancellationToken: cancellationToken);
        foreach (var pod in pods.Items)
        {
            await DeleteAsync(pod.Metadata.Name, cancellationToken);
        }

        if (pods.Items.Count > 0)
        {
            LogOrphans(_logger, pods.Items.Count, instance);
        }

        return pods.Items.Count;
    }

    [LoggerMessage(EventId = 6110, Level = LogLevel.Debug, Message = "Created pod {Pod} in {Namespace}")]
    private static partial void LogCreated(ILogger logger, string pod, string @namespace);

    [LoggerMessage(EventId = 6111, Level = LogLevel.Debug, Message = "Deleted pod {Pod} in {Namespace}")]
    private static partial void LogDeleted(ILogger logger, string pod, string @namespace);

    [LoggerMessage(EventId = 6113, Level = LogLevel.Debug, Message = "Opened a port-forward to pod {Pod} port {Port}")]
    private static partial void LogPortForward(ILogger logger, string pod, int port);

    [LoggerMessage(EventId = 6112, Level = LogLevel.Information, Message = "Deleted {Count} orphaned pods of invoker {Instance}")]
    private static partial void LogOrphans(ILogger logger, int count, string instance);
}
