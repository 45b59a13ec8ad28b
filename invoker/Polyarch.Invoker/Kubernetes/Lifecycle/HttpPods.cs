using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// Warm pods for http actions, keyed like the Docker pool (action, platform, child digest, limits): a cold
/// activation creates a pod, watches it to Running, POSTs /init once; every activation POSTs /run. Pods are
/// reached at their pod IP (the invoker runs in the cluster). Reaching them through the API server's
/// port-forward from outside the cluster is not implemented yet: set UsePodIp=true or run the invoker in-cluster.
/// </summary>
internal sealed class HttpPods : IAsyncDisposable
{
    private readonly PodClient _pods;
    private readonly KubernetesBackendOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, ConcurrentStack<WarmPod>> _idle = new(StringComparer.Ordinal);

    public HttpPods(PodClient pods, KubernetesBackendOptions options, HttpClient http, TimeProvider time)
    {
        _pods = pods;
        _options = options;
        _http = http;
        _time = time;
    }

    public int IdleCount => _idle.Values.Sum(s => s.Count);

    public static string KeyOf(PodRequest request, PodPlacement placement) =>
        $"{request.ActionName} {placement.Variants[0].Platform} {placement.Variants[0].Digest} {placement.Needs}";

    public async Task<KubernetesRun> RunAsync(PodRequest request, PodPlacement placement, V1Pod pod, ClusterSnapshot snapshot, CancellationToken cancellationToken)
    {
        var key = KeyOf(request, placement);
        var variant = placement.Variants[0];
        var start = _time.GetTimestamp();
        WarmPod? warm = null;
        var cold = !(_idle.TryGetValue(key, out var stack) && stack.TryPop(out warm));
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
            var initAnswer = await PostAsync(warm, "init", new JsonObject { ["value"] = new JsonObject { ["name"] = request.ActionName, ["main"] = "main", ["code"] = "", ["binary"] = false } }, request.Timeout, cancellationToken);
            init = _time.GetElapsedTime(initStart);
            if (initAnswer.Status != RunStatus.Success)
            {
                await _pods.DeleteAsync(warm.Name, CancellationToken.None);
                return Run(initAnswer.Status, initAnswer.Result, warm, cold, TimeSpan.Zero, init, TimeSpan.Zero);
            }
        }

        var wait = _time.GetElapsedTime(start) - init;
        var runStart = _time.GetTimestamp();
        var body = new JsonObject
        {
            ["value"] = JsonNode.Parse(request.ParamsJson),
            ["activation_id"] = request.ActivationId,
            ["action_name"] = request.ActionName,
            ["deadline"] = (_time.GetUtcNow() + request.Timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        var answer = await PostAsync(warm!, "run", body, request.Timeout, cancellationToken);
        var run = _time.GetElapsedTime(runStart);
        if (answer.Healthy)
        {
            warm!.LastUsed = _time.GetTimestamp();
            _idle.GetOrAdd(key, _ => new ConcurrentStack<WarmPod>()).Push(warm);
        }
        else
        {
            await _pods.DeleteAsync(warm!.Name, CancellationToken.None);
        }

        return Run(answer.Status, answer.Result, warm, cold, wait, init, run);

        KubernetesRun Run(string status, JsonNode? result, WarmPod pod, bool isCold, TimeSpan w, TimeSpan i, TimeSpan r) =>
            new(status, result, [], false, isCold, pod.Name, placement.Image, pod.Node, variant.Platform, variant.Digest, w, i, r);
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
            return (null, Failed(RunStatus.SystemError, ResultParser.Error($"Pod {name} did not start within {_options.StartTimeout.TotalSeconds:0} s. It was deleted."), null));
        }

        if (observation.Phase != PodPhase.Running || observation.PodIp is null)
        {
            var logs = observation.IsFinal ? await _pods.ReadLogsAsync(name, _options.MaxLogBytes, cancellationToken) : PodLogs.None;
            await _pods.DeleteAsync(name, CancellationToken.None);
            var (status, result) = PodFailures.Describe(observation, name, placement.Image, variant.Platform);
            return (null, Failed(status, result, observation.Node) with { Logs = logs.Lines, Truncated = logs.Truncated });
        }

        if (!_options.UsePodIp)
        {
            await _pods.DeleteAsync(name, CancellationToken.None);
            return (null, Failed(RunStatus.SystemError, ResultParser.Error(
                "http actions outside the cluster need the API server's port-forward, which this invoker does not implement yet. Run the invoker in the cluster (invoker/deploy/) or set Kubernetes:UsePodIp=true when pod IPs are routable."), observation.Node));
        }

        return (new WarmPod(name, key, observation.Node, new Uri($"http://{observation.PodIp}:{request.Port.ToString(CultureInfo.InvariantCulture)}/")), null);

        KubernetesRun Failed(string status, JsonNode result, string? node) =>
            new(status, result, [], false, true, name, placement.Image, node, variant.Platform, variant.Digest, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
    }

    private async Task<(string Status, JsonNode? Result, bool Healthy)> PostAsync(WarmPod pod, string path, JsonObject body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using var response = await _http.PostAsJsonAsync(new Uri(pod.Address, path), body, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return (RunStatus.DeveloperError, ResultParser.Error($"/{path} answered {(int)response.StatusCode}: {Shorten(text)}"), false);
            }

            var (status, result, _) = ResultParser.Parse(text, _options.MaxResultBytes);
            return (status, result, status is RunStatus.Success or RunStatus.ApplicationError);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (RunStatus.DeveloperError, ResultParser.Error($"The action did not answer /{path} within {timeout.TotalMilliseconds:0} ms."), false);
        }
        catch (HttpRequestException ex)
        {
            return (RunStatus.DeveloperError, ResultParser.Error($"The action's container at {pod.Address} did not answer /{path}: {ex.Message}"), false);
        }
    }

    /// <summary>Deletes pods idle longer than the idle timeout (OpenWhisk: 10 minutes).</summary>
    public async Task<int> EvictIdleAsync(CancellationToken cancellationToken)
    {
        var evicted = 0;
        foreach (var (_, stack) in _idle)
        {
            var keep = new List<WarmPod>();
            while (stack.TryPop(out var pod))
            {
                if (_time.GetElapsedTime(pod.LastUsed) >= _options.IdleTimeout)
                {
                    await _pods.DeleteAsync(pod.Name, cancellationToken);
                    evicted++;
                }
                else
                {
                    keep.Add(pod);
                }
            }

            keep.Reverse();
            foreach (var pod in keep)
            {
                stack.Push(pod);
            }
        }

        return evicted;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, stack) in _idle)
        {
            while (stack.TryPop(out var pod))
            {
                await _pods.DeleteAsync(pod.Name, CancellationToken.None);
            }
        }
    }

    private static string Shorten(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
