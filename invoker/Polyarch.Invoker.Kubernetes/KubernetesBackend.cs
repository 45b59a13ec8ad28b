using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Access;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Pods;
using Polyarch.Invoker.Pool;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>
/// Runs activations as pods: places them on the inventory snapshot (no API call), checks that some node can take
/// the pod before creating anything, then create → watch → logs → delete for exec actions, and warm pods reached
/// over HTTP for http actions.
/// </summary>
internal sealed partial class KubernetesBackend : IAsyncDisposable
{
    private readonly NodeInventory _inventory;
    private readonly PodClient _pods;
    private readonly KubernetesBackendOptions _options;
    private readonly V1Pod? _template;
    private readonly TimeProvider _time;
    private readonly ILogger<KubernetesBackend> _logger;
    private readonly PodHttpRunner _httpPods;

    public KubernetesBackend(
        NodeInventory inventory, PodClient pods, KubernetesBackendOptions options, InvokerOptions invoker, V1Pod? template,
        HttpClient http, WarmPool pool, TimeProvider time, ILogger<KubernetesBackend> logger)
    {
        _inventory = inventory;
        _pods = pods;
        _options = options;
        _template = template;
        _time = time;
        _logger = logger;
        var access = KubernetesConnection.ResolveAccess(options);
        var podHttp = access == PodAccess.PortForward ? PodHttp.ForPortForward(pods.OpenPortForwardAsync) : PodHttp.ForPodIp(http);
        _httpPods = new PodHttpRunner(pods, options, invoker, podHttp, pool, time, logger);
    }

    public const string Name = "kubernetes";

    public NodeInventory Inventory => _inventory;

    /// <summary>Warm containers (here: http pods) currently idle in the core's pool (tests and the status page).</summary>
    public int IdleWarmPods => _httpPods.Pool.IdleTotal;

    /// <summary>How warm http pods are reached (pod IP or port-forward; Auto already resolved).</summary>
    public PodAccess PodAccess => _httpPods.Access;

    /// <summary>Lists and watches nodes, and deletes this instance's orphaned pods (OpenWhisk does the same at start-up).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _inventory.StartAsync(cancellationToken);
        await _pods.DeleteOrphansAsync(_options.Instance, cancellationToken);
    }

    /// <summary>The pod an activation would get, after placement; throws the why-not table when no node fits. No API call.</summary>
    public V1Pod Plan(PodRequest request, out PodPlacement placement)
    {
        placement = PodPlacer.Place(request, _inventory.Snapshot);
        return PodOwner.Apply(PodBuilder.Build(request, placement, _options.Instance, _template), _options.OwnerPodName, _options.OwnerPodUid);
    }

    public async Task<BackendRun> RunAsync(PodRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pod = Plan(request, out var placement);
        return request.Protocol == ActionProtocol.Http
            ? await _httpPods.RunAsync(request, placement, pod, cancellationToken)
            : await RunExecAsync(request, placement, pod, cancellationToken);
    }

    /// <summary>
    /// Starts warm http pods for the request's key until <paramref name="count"/> (at most the pool's MaxContainersPerKey) are idle,
    /// like the Docker pool's prewarm; exec actions have nothing to keep warm. Returns how many pods it started.
    /// </summary>
    public async Task<int> PrewarmAsync(PodRequest request, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Protocol != ActionProtocol.Http || count <= 0)
        {
            return 0;
        }

        Plan(request, out var placement);

        // Each warm pod needs its own name: a prewarm id in place of an activation id.
        return await _httpPods.PrewarmAsync(request, placement, count,
            () => Plan(request with { ActivationId = $"prewarm-{Guid.NewGuid():N}"[..24] }, out _), cancellationToken);
    }

    /// <summary>Removes warm containers idle longer than the pool's idle timeout (the pool's sweep does this on its own); returns how many.</summary>
    public Task<int> EvictIdleAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _httpPods.Pool.SweepAsync();
    }

    private async Task<BackendRun> RunExecAsync(PodRequest request, PodPlacement placement, V1Pod pod, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();

        // The start timeout runs from before the create request: once the pod exists the kubelet may already be
        // working on it, and a clock armed only after the create's answer would miss whatever happened in between
        // (with a test clock, an Advance made as soon as the pod is visible would never fire the deadline at all).
        using var deadline = new CancellationTokenSource(_options.StartTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var created = await _pods.CreateAsync(pod, cancellationToken);
        var name = created.Metadata.Name;
        try
        {
            // One watch from creation to the end: the start timeout applies until the container runs, then the action's own.
            long? running = null;
            PodObservation observation;
            try
            {
                (observation, _) = await _pods.WaitAsync(created, o =>
                {
                    if (running is null && o.Phase is PodPhase.Running or PodPhase.Succeeded or PodPhase.Failed)
                    {
                        running = _time.GetTimestamp();
                        deadline.CancelAfter(TimeSpan.FromTicks(Math.Min(request.Timeout.Ticks, TimeSpan.FromDays(1).Ticks)) + TimeSpan.FromSeconds(5));
                    }

                    return o.IsFinal;
                }, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                var last = (await _pods.ReadAsync(name, CancellationToken.None)) is { } now ? PodStatusClassifier.Classify(now) : PodStatusClassifier.Classify(created);
                if (running is null)
                {
                    LogNeverStarted(_logger, name, _options.StartTimeout);
                    return Record(ActivationStatus.SystemError, OutcomeClassifier.ErrorObject(
                        $"Pod {name} did not start within {_options.StartTimeout.TotalSeconds:0} s (last state: {last.Phase}{(last.Message is null ? "" : $", {last.Message}")}). It was deleted; check the node{(last.Node is null ? "" : $" {last.Node}")} and its container runtime."),
                        PodLogs.None, last, PlatformOf(last.Node), _time.GetElapsedTime(started), TimeSpan.Zero);
                }

                return Record(ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject($"The action exceeded its time limit of {request.Timeout.TotalMilliseconds:0} ms."),
                    PodLogs.None, last, PlatformOf(last.Node), _time.GetElapsedTime(started, running.Value), _time.GetElapsedTime(running.Value));
            }

            var end = _time.GetTimestamp();
            var wait = _time.GetElapsedTime(started, running ?? end);
            var run = running is null ? TimeSpan.Zero : _time.GetElapsedTime(running.Value, end);
            if (observation.Phase == PodPhase.Unschedulable)
            {
                // Placed on the snapshot, refused by the scheduler (the pool filled up): nothing ran, try the next candidate.
                throw UnschedulablePodException.For(name, placement, observation.Message);
            }

            var platform = PlatformOf(observation.Node);
            var logs = observation.Phase is PodPhase.Unschedulable or PodPhase.ImagePullFailed
                ? PodLogs.None
                : await _pods.ReadLogsAsync(name, _options.MaxLogBytes, cancellationToken);
            if (observation.Phase == PodPhase.Succeeded)
            {
                var (status, result, truncated) = OutcomeClassifier.FromText(logs.Lines.LastOrDefault(l => l.Length > 0), _options.MaxResultBytes);
                return Record(status, result, logs with { Truncated = logs.Truncated || truncated }, observation, platform, wait, run);
            }

            var failure = PodFailures.Describe(observation, name, placement.Image, platform);
            return Record(failure.Status, failure.Result, logs, observation, platform, wait, run);
        }
        finally
        {
            await _pods.DeleteAsync(name, CancellationToken.None);
        }

        BackendRun Record(string status, JsonNode? result, PodLogs logs, PodObservation observation, string? platform, TimeSpan wait, TimeSpan run) =>
            new(status, result, logs.Lines, logs.Truncated, Cold: true, wait, TimeSpan.Zero, run, observation.Node,
                platform ?? (placement.Pinned ? placement.Variants[0].Platform : null),
                platform is null ? (placement.Pinned ? placement.Variants[0].Digest : null) : placement.VariantFor(platform)?.Digest,
                Container: name, Image: placement.Image);
    }

    private string? PlatformOf(string? node) =>
        node is not null && _inventory.Snapshot.ByName.TryGetValue(node, out var found) ? found.Platform : null;

    /// <summary>The warm pods belong to the core's pool, which its owner disposes (deleting idle pods).</summary>
    public ValueTask DisposeAsync()
    {
        _httpPods.Dispose();
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 6120, Level = LogLevel.Warning, Message = "Pod {Pod} did not start within {Timeout}; deleting it")]
    private static partial void LogNeverStarted(ILogger logger, string pod, TimeSpan timeout);
}
