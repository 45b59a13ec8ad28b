using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Access;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Pool;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// The http protocol on Kubernetes, over the core's <see cref="WarmPool"/> (the same keys, caps, idle timeout and
/// dead-container dropping as Docker containers): a cold activation creates a pod, watches it to Running, POSTs /init
/// once; every activation POSTs /run and gets only its own log lines (timestamps after the previous activation's).
/// Pods are reached at their pod IP in the cluster or through the API server's port-forward (<see cref="PodAccess"/>).
/// </summary>
internal sealed partial class PodHttpRunner : IDisposable
{
    // sinceSeconds is a coarse window on the node's clock: ask for a minute more than the time since the last read
    // (the node's own timestamps then cut exactly), so a slow round trip or a test's fake clock loses no line.
    private static readonly TimeSpan LogWindowMargin = TimeSpan.FromMinutes(1);

    private readonly PodClient _pods;
    private readonly KubernetesBackendOptions _options;
    private readonly InvokerOptions _invoker;
    private readonly PodHttp _http;
    private readonly WarmPool _pool;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ActionHttpClient _proxy;

    public PodHttpRunner(PodClient pods, KubernetesBackendOptions options, InvokerOptions invoker, PodHttp http, WarmPool pool, TimeProvider time, ILogger logger)
    {
        _pods = pods;
        _options = options;
        _invoker = invoker;
        _http = http;
        _pool = pool;
        _time = time;
        _logger = logger;
        _proxy = new ActionHttpClient(http.Client);
    }

    public PodAccess Access => _http.Access;

    public WarmPool Pool => _pool;

    /// <summary>The core's pool key: action, the pinned variant, the needs, the port, the environment and the code.</summary>
    public static PoolKey KeyOf(PodRequest request, PodPlacement placement) =>
        PoolKey.For(request.ActionName, placement.Variants[0].Platform, placement.Variants[0].Digest, placement.Needs, request.Port, request.Environment, request.Code);

    public async Task<BackendRun> RunAsync(PodRequest request, PodPlacement placement, V1Pod pod, CancellationToken cancellationToken)
    {
        var key = KeyOf(request, placement);
        var variant = placement.Variants[0];
        for (var attempt = 0; ; attempt++)
        {
            PoolLease lease;
            try
            {
                lease = await _pool.AcquireAsync(key, ct => StartAsync(request, placement, pod, ct), cancellationToken);
            }
            catch (PodStartFailedException failed)
            {
                return failed.Run;
            }

            var warm = (PodActionContainer)lease.Container;
            var init = lease.Cold ? warm.InitDuration : TimeSpan.Zero;
            var wait = lease.Wait - init;
            var runStart = _time.GetTimestamp();
            var body = ActionHttpClient.RunPayload(JsonNode.Parse(request.ParamsJson), request.ActionName, request.ActivationId, _time.GetUtcNow() + request.Timeout);
            PostAnswer answer;
            TimeSpan run;
            PodLogs logs;
            try
            {
                answer = await PostAsync(warm, "run", body, request.Timeout, cancellationToken);
                run = _time.GetElapsedTime(runStart);
                if (answer.Unreachable && !lease.Cold && attempt == 0)
                {
                    // A warm pod that cannot be reached died while idle (evicted, node lost, deleted by someone): the request
                    // never reached an action (see PostAsync), so the pool drops the pod and the activation gets a new one, as
                    // a Docker container that refuses connections. A connection that broke after the request went out is not
                    // retried: the action may have run (OpenWhisk does not retry it either).
                    var reason = answer.Result?["error"]?.ToString() ?? "";
                    LogWarmPodGone(_logger, warm.Id, reason);
                    warm.MarkDead();
                    _pool.Release(lease, reusable: false, "it could not be reached");
                    continue;
                }

                logs = await ReadLogsAsync(warm, cancellationToken);
            }
            catch (Exception exception)
            {
                // Cancelled (a workflow step's timeout, a stopping invoker) or failed mid-activation: the action may still
                // run in the pod, so the pod is deleted and its pool slot freed, never handed to the next activation.
                warm.MarkDead();
                _pool.Release(lease, reusable: false, exception is OperationCanceledException ? "its activation was cancelled" : $"its activation failed ({exception.GetType().Name})");
                throw;
            }

            if (!answer.Healthy)
            {
                warm.MarkDead();
            }

            _pool.Release(lease, reusable: answer.Healthy, answer.Healthy ? null : "its activation did not end cleanly (timed out, broke or failed)");
            return new BackendRun(answer.Status, answer.Result, logs.Lines, logs.Truncated || answer.Truncated, lease.Cold, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, init, run,
                warm.Node, variant.Platform, variant.Digest, Container: warm.Id, Image: placement.Image);
        }
    }

    /// <summary>
    /// Starts and initialises pods for the key until <paramref name="count"/> (at most the pool's per-key cap) are
    /// idle; <paramref name="podFor"/> gives each new pod its own name. Returns how many it started (a failure is logged).
    /// </summary>
    public async Task<int> PrewarmAsync(PodRequest request, PodPlacement placement, int count, Func<V1Pod> podFor, CancellationToken cancellationToken)
    {
        var key = KeyOf(request, placement);
        count = Math.Min(count, _pool.MaxContainersPerKey);
        var leases = new List<PoolLease>();
        try
        {
            while (_pool.IdleCount(key) + leases.Count < count)
            {
                PoolLease lease;
                try
                {
                    lease = await _pool.AcquireAsync(key, ct => StartAsync(request, placement, podFor(), ct), cancellationToken);
                }
                catch (PodStartFailedException failed)
                {
                    LogPrewarmFailed(_logger, request.ActionName, placement.Variants[0].Platform, failed.Message);
                    break;
                }

                leases.Add(lease);
                if (lease.Cold)
                {
                    // The start-up and /init lines belong to no activation.
                    await ReadLogsAsync((PodActionContainer)lease.Container, cancellationToken);
                }
            }
        }
        finally
        {
            foreach (var lease in leases)
            {
                _pool.Release(lease, reusable: true);
            }
        }

        return leases.Count(l => l.Cold);
    }

    private async Task<PodLogs> ReadLogsAsync(PodActionContainer warm, CancellationToken cancellationToken)
    {
        var window = warm.LastLog is null ? TimeSpan.Zero : _time.GetElapsedTime(warm.LastLogRead) + LogWindowMargin;
        var read = _time.GetTimestamp();
        var logs = await _pods.ReadLogsAfterAsync(warm.Id, warm.LastLog, window, _options.MaxLogBytes, cancellationToken);
        warm.LastLog = logs.Last;
        warm.LastLogRead = read;
        return new PodLogs(logs.Lines, logs.Truncated);
    }

    /// <summary>Creates the pod, waits for Running and POSTs /init; a failure deletes the pod and throws its outcome.</summary>
    private async Task<IWarmContainer> StartAsync(PodRequest request, PodPlacement placement, V1Pod pod, CancellationToken cancellationToken)
    {
        var start = _time.GetTimestamp();

        // The start timeout runs from before the create request (see KubernetesBackend.RunExecAsync).
        using var deadline = new CancellationTokenSource(_options.StartTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var created = await _pods.CreateAsync(pod, cancellationToken);
        var name = created.Metadata.Name;
        var variant = placement.Variants[0];
        PodObservation observation;
        try
        {
            (observation, _) = await _pods.WaitAsync(created, o => o.Phase == PodPhase.Running, linked.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            await _pods.DeleteAsync(name, CancellationToken.None);
            throw Failed(ActivationStatus.SystemError, OutcomeClassifier.ErrorObject($"Pod {name} did not start within {_options.StartTimeout.TotalSeconds:0} s. It was deleted."), null, PodLogs.None);
        }
        catch
        {
            await _pods.DeleteAsync(name, CancellationToken.None);
            throw;
        }

        if (observation.Phase == PodPhase.Unschedulable)
        {
            // The snapshot said a node fits, the scheduler says none does (the pool filled up since): a refusal before
            // anything ran, so the core tries its next candidate.
            await _pods.DeleteAsync(name, CancellationToken.None);
            throw UnschedulablePodException.For(name, placement, observation.Message);
        }

        if (observation.Phase != PodPhase.Running || (_http.Access == PodAccess.PodIp && observation.PodIp is null))
        {
            PodLogs logs;
            try
            {
                logs = observation.IsFinal ? await _pods.ReadLogsAsync(name, _options.MaxLogBytes, cancellationToken) : PodLogs.None;
            }
            finally
            {
                await _pods.DeleteAsync(name, CancellationToken.None);
            }

            var (status, result) = PodFailures.Describe(observation, name, placement.Image, variant.Platform);
            throw Failed(status, result, observation.Node, logs);
        }

        var warm = new PodActionContainer(_pods, name, observation.Node, _http.AddressOf(name, observation.PodIp, request.Port)) { LastLogRead = _time.GetTimestamp() };
        try
        {
            var initStart = _time.GetTimestamp();
            var initAnswer = await PostAsync(warm, "init", ActionHttpClient.InitPayload(request.ActionName, request.Environment, request.Code, _invoker.MaxFilesBytes), request.Timeout, cancellationToken);
            warm.InitDuration = _time.GetElapsedTime(initStart);
            if (initAnswer.Status != ActivationStatus.Success)
            {
                var initLogs = await ReadLogsAsync(warm, cancellationToken);
                throw new PodStartFailedException(new BackendRun(initAnswer.Status, initAnswer.Result, initLogs.Lines, initLogs.Truncated || initAnswer.Truncated, Cold: true, TimeSpan.Zero, warm.InitDuration, TimeSpan.Zero,
                    warm.Node, variant.Platform, variant.Digest, Container: name, Image: placement.Image));
            }

            return warm;
        }
        catch
        {
            // A refused, cancelled or broken /init: the pool never got this pod, so nothing else would delete it.
            await warm.DisposeAsync();
            throw;
        }

        PodStartFailedException Failed(string status, JsonNode result, string? node, PodLogs logs) =>
            new(new BackendRun(status, result, logs.Lines, logs.Truncated, Cold: true, _time.GetElapsedTime(start), TimeSpan.Zero, TimeSpan.Zero,
                node, variant.Platform, variant.Digest, Container: name, Image: placement.Image));
    }

    /// <summary>
    /// POSTs /init or /run. <see cref="PostAnswer.Unreachable"/> only when the request provably never reached the action:
    /// the connection could not be opened (refused, no route, the port-forward WebSocket refused because the pod is gone)
    /// or the kubelet reported that it could not dial the pod's port. A connection that broke once the request was out
    /// is a failed activation (the action may have run), never a retry. /init is never retried either way: a pod whose
    /// /init fails is deleted and the activation fails with the reason (PodStartFailedException).
    /// </summary>
    private async Task<PostAnswer> PostAsync(PodActionContainer pod, string path, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var where = _http.Access == PodAccess.PortForward ? $"pod {pod.Id} (through the API server's port-forward to port {pod.Address.Port})" : $"{pod.Address}";
        try
        {
            // /run's answer may carry files ("polyarch:files", base64): it is read up to the invoker's answer bound, as on
            // Docker; the result kept without its files must still fit MaxResultBytes (below, and the core's own check).
            var response = path == "init"
                ? await _proxy.InitAsync(pod.Address, body, _options.MaxResultBytes, linked.Token)
                : await _proxy.RunAsync(pod.Address, body, _invoker.MaxAnswerBytes, linked.Token);
            if (!response.IsOk && path == "init")
            {
                return new PostAnswer(ActivationStatus.DeveloperError, OutcomeClassifier.FromInitResponse(response.StatusCode, response.Body).Result, false, false);
            }

            if (response.Exceeded)
            {
                var tooLarge = path == "init"
                    ? OutcomeClassifier.FromResponse([], okStatus: true, exceeded: true, _options.MaxResultBytes)
                    : OutcomeClassifier.AnswerTooLarge(_invoker);
                return new PostAnswer(tooLarge.Status, tooLarge.Result, false, false, tooLarge.Truncated);
            }

            var (status, result, _) = OutcomeClassifier.FromResponse(response.Body, response.IsOk, exceeded: false, _options.MaxResultBytes);
            if (response.Body.Length > _options.MaxResultBytes && ResultBytesWithoutFiles(result) > _options.MaxResultBytes)
            {
                var dropped = OutcomeClassifier.DeveloperError($"The action produced a result larger than the limit of {_options.MaxResultBytes} bytes (Kubernetes:MaxResultBytes; files under \"{ResultFiles.Key}\" do not count); it was dropped.", truncated: true);
                return new PostAnswer(dropped.Status, dropped.Result, response.IsOk, false, dropped.Truncated);
            }

            return new PostAnswer(status, result, response.IsOk && status is ActivationStatus.Success or ActivationStatus.ApplicationError, false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new PostAnswer(ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject($"The action did not answer /{path} within {timeout.TotalMilliseconds:0} ms."), false, false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.WebSockets.WebSocketException or k8s.Autorest.HttpOperationException)
        {
            var detail = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
            if (NeverDelivered(ex))
            {
                return new PostAnswer(ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject($"The action's container at {where} did not answer /{path}: {detail}"), false, true);
            }

            // Sent, then the connection broke without a (whole) answer: the action may have run, so the activation fails
            // once — a developer error, as OpenWhisk records a container that failed mid-activation — and the pod is deleted.
            return new PostAnswer(ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject(
                $"The connection to the action's container at {where} broke during /{path}, after the request was sent: {detail}. " +
                "The action may have run, so the activation was not retried; check the action's logs (did its process exit or crash?)."), false, false);
        }
    }

    // Only a connection that was never opened, or a port-forward whose kubelet could not dial the pod, proves that no byte
    // of the request reached the action. SocketsHttpHandler reports its connect step (and its ConnectCallback, which opens
    // the port-forward WebSocket) as ConnectionError; a failure while sending or reading is Unknown or ResponseEnded.
    private static bool NeverDelivered(Exception exception)
    {
        if (exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
        {
            return true;
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is PortForwardDialFailedException)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose() => _http.Dispose();

    // The bytes of the result as kept: every member but the files, which leave it before the record is stored.
    private static long ResultBytesWithoutFiles(JsonNode? result)
    {
        if (result is not JsonObject answer)
        {
            return result is null ? 0 : Encoding.UTF8.GetByteCount(result.ToJsonString());
        }

        long total = 2;
        foreach (var (name, value) in answer)
        {
            if (!string.Equals(name, ResultFiles.Key, StringComparison.Ordinal))
            {
                total += Encoding.UTF8.GetByteCount(name) + 4 + (value is null ? 4 : Encoding.UTF8.GetByteCount(value.ToJsonString()));
            }
        }

        return total;
    }

    /// <summary>What /init or /run came to: the outcome, whether the pod may serve again, whether nothing was delivered, whether the result was cut.</summary>
    private sealed record PostAnswer(string Status, JsonNode? Result, bool Healthy, bool Unreachable, bool Truncated = false);

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [LoggerMessage(EventId = 6133, Level = LogLevel.Information, Message = "Warm pod {Pod} could not be reached ({Reason}); replacing it")]
    private static partial void LogWarmPodGone(ILogger logger, string pod, string reason);

    [LoggerMessage(EventId = 6132, Level = LogLevel.Warning, Message = "Prewarming a pod of {Action} on {Platform} failed: {Reason}")]
    private static partial void LogPrewarmFailed(ILogger logger, string action, string platform, string reason);
}
