using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Kubernetes.Access;
using Polyarch.Invoker.Kubernetes.Placement;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// Warm pods for http actions, keyed like the Docker pool (action, platform, child digest, limits, port, environment):
/// a cold activation creates a pod, watches it to Running, POSTs /init once; every activation POSTs /run and gets only
/// its own log lines (timestamps after the previous activation's). Pods are reached at their pod IP in the cluster or
/// through the API server's port-forward from outside (<see cref="PodAccess"/>). Idle pods are deleted after the idle
/// timeout by a sweep on the TimeProvider; prewarm starts pods ahead of the first activation.
/// </summary>
internal sealed partial class HttpPods : IAsyncDisposable
{
    // sinceSeconds is a coarse window on the node's clock: ask for a minute more than the time since the last read
    // (the node's own timestamps then cut exactly), so a slow round trip or a test's fake clock loses no line.
    private static readonly TimeSpan LogWindowMargin = TimeSpan.FromMinutes(1);

    private readonly PodClient _pods;
    private readonly KubernetesBackendOptions _options;
    private readonly PodHttp _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IdlePods _idle;
    private readonly ActionHttpClient _proxy;

    public HttpPods(PodClient pods, KubernetesBackendOptions options, PodHttp http, TimeProvider time, ILogger logger)
    {
        _pods = pods;
        _options = options;
        _http = http;
        _time = time;
        _logger = logger;
        _idle = new IdlePods(pods, options, time, logger);
        _proxy = new ActionHttpClient(http.Client);
    }

    public int IdleCount => _idle.Count;

    public PodAccess Access => _http.Access;

    public int IdleCountOf(string key) => _idle.CountOf(key);

    public static string KeyOf(PodRequest request, PodPlacement placement)
    {
        var env = string.Join(",", request.Environment.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{request.ActionName} {placement.Variants[0].Platform} {placement.Variants[0].Digest} {placement.Needs} port={request.Port} env={env} code={request.Code?.Sha256}:{request.Code?.Main}");
    }

    public Task<KubernetesRun> RunAsync(PodRequest request, PodPlacement placement, V1Pod pod, CancellationToken cancellationToken) =>
        RunAsync(request, placement, pod, retried: false, cancellationToken);

    private async Task<KubernetesRun> RunAsync(PodRequest request, PodPlacement placement, V1Pod pod, bool retried, CancellationToken cancellationToken)
    {
        var key = KeyOf(request, placement);
        var variant = placement.Variants[0];
        var start = _time.GetTimestamp();
        WarmPod? warm = null;
        var cold = !_idle.TryTake(key, out warm);
        var init = TimeSpan.Zero;
        if (cold)
        {
            var (started, failure) = await StartAsync(request, placement, pod, key, cancellationToken);
            if (failure is not null)
            {
                return failure with { Wait = _time.GetElapsedTime(start) };
            }

            warm = started!;
            var initStart = _time.GetTimestamp();
            var initAnswer = await InitAsync(warm, request, cancellationToken);
            init = _time.GetElapsedTime(initStart);
            if (initAnswer.Status != ActivationStatus.Success)
            {
                var initLogs = await ReadLogsAsync(warm, cancellationToken);
                await _pods.DeleteAsync(warm.Name, CancellationToken.None);
                return Run(initAnswer.Status, initAnswer.Result, initLogs, warm, cold, TimeSpan.Zero, init, TimeSpan.Zero);
            }
        }

        var wait = _time.GetElapsedTime(start) - init;
        var runStart = _time.GetTimestamp();
        var body = ActionHttpClient.RunPayload(JsonNode.Parse(request.ParamsJson), request.ActionName, request.ActivationId, _time.GetUtcNow() + request.Timeout);
        var answer = await PostAsync(warm!, "run", body, request.Timeout, cancellationToken);
        var run = _time.GetElapsedTime(runStart);
        if (answer.Unreachable && !cold && !retried)
        {
            // A warm pod that cannot be reached died while idle (evicted, node lost, deleted by someone): replace it once,
            // as the Docker pool replaces a warm container that refuses connections.
            var reason = answer.Result?["error"]?.ToString() ?? "";
            LogWarmPodGone(_logger, warm!.Name, reason);
            await _pods.DeleteAsync(warm.Name, CancellationToken.None);
            return await RunAsync(request, placement, pod, retried: true, cancellationToken);
        }

        var logs = await ReadLogsAsync(warm!, cancellationToken);
        if (answer.Healthy)
        {
            await _idle.ReturnAsync(warm!);
        }
        else
        {
            await _pods.DeleteAsync(warm!.Name, CancellationToken.None);
        }

        return Run(answer.Status, answer.Result, logs, warm!, cold, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, init, run);

        KubernetesRun Run(string status, JsonNode? result, PodLogs lines, WarmPod pod, bool isCold, TimeSpan w, TimeSpan i, TimeSpan r) =>
            new(status, result, lines.Lines, lines.Truncated, isCold, pod.Name, placement.Image, pod.Node, variant.Platform, variant.Digest, w, i, r);
    }

    /// <summary>Starts and initialises one warm pod for the key and keeps it idle; false (logged) when it could not start.</summary>
    public async Task<bool> PrewarmAsync(PodRequest request, PodPlacement placement, V1Pod pod, CancellationToken cancellationToken)
    {
        var key = KeyOf(request, placement);
        var (warm, failure) = await StartAsync(request, placement, pod, key, cancellationToken);
        if (failure is not null)
        {
            LogPrewarmFailed(_logger, request.ActionName, placement.Variants[0].Platform, failure.Result?.ToJsonString() ?? failure.Status);
            return false;
        }

        var answer = await InitAsync(warm!, request, cancellationToken);
        if (answer.Status != ActivationStatus.Success)
        {
            await _pods.DeleteAsync(warm!.Name, CancellationToken.None);
            LogPrewarmFailed(_logger, request.ActionName, placement.Variants[0].Platform, answer.Result?.ToJsonString() ?? answer.Status);
            return false;
        }

        // The start-up and /init lines belong to no activation.
        await ReadLogsAsync(warm!, cancellationToken);
        await _idle.ReturnAsync(warm!);
        return true;
    }

    private Task<(string Status, JsonNode? Result, bool Healthy, bool Unreachable)> InitAsync(WarmPod warm, PodRequest request, CancellationToken cancellationToken) =>
        PostAsync(warm, "init", ActionHttpClient.InitPayload(request.ActionName, request.Environment, request.Code), request.Timeout, cancellationToken);

    private async Task<PodLogs> ReadLogsAsync(WarmPod warm, CancellationToken cancellationToken)
    {
        var window = warm.LastLog is null ? TimeSpan.Zero : _time.GetElapsedTime(warm.LastLogRead) + LogWindowMargin;
        var read = _time.GetTimestamp();
        var logs = await _pods.ReadLogsAfterAsync(warm.Name, warm.LastLog, window, _options.MaxLogBytes, cancellationToken);
        warm.LastLog = logs.Last;
        warm.LastLogRead = read;
        return new PodLogs(logs.Lines, logs.Truncated);
    }

    private async Task<(WarmPod? Pod, KubernetesRun? Failure)> StartAsync(PodRequest request, PodPlacement placement, V1Pod pod, string key, CancellationToken cancellationToken)
    {
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
            return (null, Failed(ActivationStatus.SystemError, OutcomeClassifier.ErrorObject($"Pod {name} did not start within {_options.StartTimeout.TotalSeconds:0} s. It was deleted."), null));
        }
        catch
        {
            await _pods.DeleteAsync(name, CancellationToken.None);
            throw;
        }

        if (observation.Phase != PodPhase.Running || (_http.Access == PodAccess.PodIp && observation.PodIp is null))
        {
            var logs = observation.IsFinal ? await _pods.ReadLogsAsync(name, _options.MaxLogBytes, cancellationToken) : PodLogs.None;
            await _pods.DeleteAsync(name, CancellationToken.None);
            var (status, result) = PodFailures.Describe(observation, name, placement.Image, variant.Platform);
            return (null, Failed(status, result, observation.Node) with { Logs = logs.Lines, Truncated = logs.Truncated });
        }

        var warm = new WarmPod(name, key, observation.Node, _http.AddressOf(name, observation.PodIp, request.Port)) { LastLogRead = _time.GetTimestamp() };
        return (warm, null);

        KubernetesRun Failed(string status, JsonNode result, string? node) =>
            new(status, result, [], false, true, name, placement.Image, node, variant.Platform, variant.Digest, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
    }

    private async Task<(string Status, JsonNode? Result, bool Healthy, bool Unreachable)> PostAsync(WarmPod pod, string path, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        var where = _http.Access == PodAccess.PortForward ? $"pod {pod.Name} (through the API server's port-forward to port {pod.Address.Port})" : $"{pod.Address}";
        try
        {
            var response = path == "init"
                ? await _proxy.InitAsync(pod.Address, body, _options.MaxResultBytes, linked.Token)
                : await _proxy.RunAsync(pod.Address, body, _options.MaxResultBytes, linked.Token);
            if (!response.IsOk && path == "init")
            {
                return (ActivationStatus.DeveloperError, OutcomeClassifier.FromInitResponse(response.StatusCode, response.Body).Result, false, false);
            }

            var (status, result, _) = OutcomeClassifier.FromResponse(response.Body, response.IsOk, response.Exceeded, _options.MaxResultBytes);
            return (status, result, response.IsOk && !response.Exceeded && status is ActivationStatus.Success or ActivationStatus.ApplicationError, false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject($"The action did not answer /{path} within {timeout.TotalMilliseconds:0} ms."), false, false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.WebSockets.WebSocketException or k8s.Autorest.HttpOperationException)
        {
            var detail = ex.InnerException is null ? ex.Message : $"{ex.Message} {ex.InnerException.Message}";
            return (ActivationStatus.DeveloperError, OutcomeClassifier.ErrorObject($"The action's container at {where} did not answer /{path}: {detail}"), false, true);
        }
    }

    /// <summary>Deletes pods idle longer than the idle timeout (the sweep does this on its own); returns how many.</summary>
    public Task<int> EvictIdleAsync(CancellationToken cancellationToken) => _idle.EvictAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _idle.DisposeAsync();
        _http.Dispose();
    }

    [LoggerMessage(EventId = 6133, Level = LogLevel.Information, Message = "Warm pod {Pod} could not be reached ({Reason}); replacing it")]
    private static partial void LogWarmPodGone(ILogger logger, string pod, string reason);

    [LoggerMessage(EventId = 6132, Level = LogLevel.Warning, Message = "Prewarming a pod of {Action} on {Platform} failed: {Reason}")]
    private static partial void LogPrewarmFailed(ILogger logger, string action, string platform, string reason);
}
