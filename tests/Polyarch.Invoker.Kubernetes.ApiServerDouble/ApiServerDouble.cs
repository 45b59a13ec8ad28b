using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// A TEST DOUBLE of the Kubernetes API server — not a Kubernetes. Kestrel on 127.0.0.1 (free port) serving the real
/// JSON (k8s.Models serialised with KubernetesJson) for exactly the calls the invoker's Kubernetes backend makes:
/// nodes list and watch; pods create, get, list by label selector, watch (field selector, from a resourceVersion,
/// newline-delimited watch events), log (limitBytes, sinceSeconds/sinceTime, timestamps), port-forward over a WebSocket
/// (v4.channel.k8s.io, relayed to the pod IP 127.0.0.1; see <see cref="PortForwarder"/>) and delete. A scheduler (<see cref="Scheduler"/>) binds pods
/// like kube-scheduler's filters, a fake kubelet (<see cref="Kubelet"/>) plays the container states. Drive it with
/// KubernetesClient through <see cref="KubeconfigPath"/>. Exec, attach, other kinds: not served (404).
/// </summary>
public sealed class ApiServerDouble : IAsyncDisposable
{
    public const string Namespace = "polyarch";

    private readonly WebApplication _app;
    private readonly ClusterState _state = new();
    private readonly ConcurrentQueue<ApiCall> _calls = new();
    private readonly ConcurrentQueue<string> _failures = new();

    // Cancelled when a pod is deleted: its port-forward connections end, as they do when a real pod's container is killed.
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _podLifetimes = new(StringComparer.Ordinal);

    // Pods whose process no longer listens (see StopListening).
    private readonly ConcurrentDictionary<string, bool> _notListening = new(StringComparer.Ordinal);
    private readonly string _directory;

    private ApiServerDouble(WebApplication app, string directory)
    {
        _app = app;
        _directory = directory;
    }

    /// <summary>http://127.0.0.1:port.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>A kubeconfig whose current context points at this double (namespace "polyarch").</summary>
    public string KubeconfigPath => Path.Combine(_directory, "kubeconfig");

    /// <summary>Every request served, in order.</summary>
    public IReadOnlyList<ApiCall> Calls => [.. _calls];

    /// <summary>Decides what the fake kubelet does with each bound pod (default: run to completion).</summary>
    public Func<V1Pod, PodBehaviour> Behaviour { get => _state.Behaviour; set => _state.Behaviour = value; }

    /// <summary>The log a completed pod leaves (default: like examples/echo, {"arch":…,"params":…} as last line).</summary>
    public Func<V1Pod, V1Node, string> LogWriter { get => _state.LogWriter; set => _state.LogWriter = value; }

    /// <summary>The message ErrImagePull reports.</summary>
    public string PullMessage { get => _state.PullMessage; set => _state.PullMessage = value; }

    public static async Task<ApiServerDouble> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("polyarch-apiserver-double-").FullName;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new ApiServerDouble(app, directory);
        server.LogWriter = EchoLog;
        server.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        await File.WriteAllTextAsync(server.KubeconfigPath, Kubeconfig(server.Address));
        return server;
    }

    public void AddNode(V1Node node) => _state.PutNode(node);

    public void UpdateNode(V1Node node) => _state.PutNode(node);

    public void RemoveNode(string name) => _state.RemoveNode(name);

    /// <summary>Like etcd compaction: open node watches end, and resuming from an old resourceVersion gets 410 Gone.</summary>
    public void Compact() => _state.Compact();

    /// <summary>Tells the fake runtime which architecture a child manifest digest is for (pinned to another arch → exec format error).</summary>
    public void RegisterDigest(string digest, string architecture) => _state.DigestArchitectures[digest] = architecture;

    /// <summary>Appends a line to a running pod's log, stamped now like a container runtime would (false: no such pod).</summary>
    public bool AppendLog(string podName, string line) => _state.AppendLog(Namespace, podName, line);

    public IReadOnlyList<V1Pod> Pods() => _state.List("Pod", _ => true).Items.Cast<V1Pod>().ToList();

    public V1Pod? Pod(string name) => _state.GetPod(Namespace, name);

    /// <summary>
    /// The pod's process stops listening while the pod stays Running (its proxy crashed, a restart is pending): its
    /// forwarded connections end, and every new port-forward to it gets the kubelet's dial failure ("connect: connection
    /// refused") on the error channel — nothing sent on such a connection reaches the pod.
    /// </summary>
    public void StopListening(string podName)
    {
        _notListening[$"{Namespace}/{podName}"] = true;
        EndPodLifetime($"{Namespace}/{podName}");
    }

    public void ClearCalls() => _calls.Clear();

    /// <summary>Exceptions the double itself threw while serving (500s): always empty unless the double has a bug.</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    /// <summary>How many watches are open right now.</summary>
    public int OpenWatches => _state.OpenWatches;

    /// <summary>What examples/echo prints: {"arch":"&lt;uname -m&gt;","params":&lt;first argument&gt;}.</summary>
    public static string EchoLog(V1Pod pod, V1Node node)
    {
        var arch = node.Metadata.Labels["kubernetes.io/arch"] switch
        {
            "amd64" => "x86_64",
            "arm64" => "aarch64",
            var other => other,
        };
        var args = pod.Spec.Containers[0].Args?.FirstOrDefault() ?? "{}";
        return $"starting on {node.Metadata.Name}\n{{\"arch\":\"{arch}\",\"params\":{args}}}\n";
    }

    private void Map()
    {
        _app.UseWebSockets();
        _app.Use(async (context, next) =>
        {
            _calls.Enqueue(new ApiCall(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? ""));
            try
            {
                await next(context);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A bug in the double, not an answer a real server gives: keep it for the test to report.
                _failures.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}: {ex}");
                throw;
            }
        });
        _app.MapGet("/api/v1/nodes", (HttpContext context) => ListOrWatch(context, "Node", "NodeList", _ => true));
        _app.MapGet("/api/v1/namespaces/{ns}/pods", (HttpContext context, string ns) =>
        {
            var labels = context.Request.Query["labelSelector"].ToString();
            var fields = context.Request.Query["fieldSelector"].ToString();
            return ListOrWatch(context, "Pod", "PodList", o => o is V1Pod p && p.Metadata.NamespaceProperty == ns
                && Selectors.Labels(labels, p.Metadata.Labels) && Selectors.Fields(fields, p.Metadata));
        });
        _app.MapPost("/api/v1/namespaces/{ns}/pods", CreatePodAsync);
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}", (HttpContext context, string ns, string name) =>
            _state.GetPod(ns, name) is { } pod ? Json(context, 200, pod) : Json(context, 404, Statuses.NotFound("pods", name)));
        _app.MapDelete("/api/v1/namespaces/{ns}/pods/{name}", (HttpContext context, string ns, string name) =>
        {
            if (_state.DeletePod(ns, name) is not { } pod)
            {
                return Json(context, 404, Statuses.NotFound("pods", name));
            }

            EndPodLifetime($"{ns}/{name}");
            return Json(context, 200, pod);
        });
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", ReadLog);
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/portforward", (HttpContext context, string ns, string name) =>
            _state.GetPod(ns, name) is { } pod
                ? PortForwarder.ServeAsync(context, pod, Json, _podLifetimes.GetOrAdd($"{ns}/{name}", _ => new CancellationTokenSource()).Token, listening: !_notListening.ContainsKey($"{ns}/{name}"))
                : Json(context, 404, Statuses.NotFound("pods", name)));
    }

    private void EndPodLifetime(string key)
    {
        if (_podLifetimes.TryRemove(key, out var lifetime))
        {
            lifetime.Cancel();
            lifetime.Dispose();
        }
    }

    private async Task CreatePodAsync(HttpContext context, string ns)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var pod = KubernetesJson.Deserialize<V1Pod>(await reader.ReadToEndAsync(context.RequestAborted));
        var problems = PodValidation.Validate(pod);
        if (problems.Count > 0)
        {
            await Json(context, 422, Statuses.Failure(422, "Invalid", $"Pod \"{pod.Metadata?.Name}\" is invalid: {string.Join("; ", problems)}"));
            return;
        }

        var (created, conflict) = _state.CreatePod(ns, pod);
        await (conflict
            ? Json(context, 409, Statuses.Failure(409, "AlreadyExists", $"pods \"{pod.Metadata.Name}\" already exists"))
            : Json(context, 201, created!));
    }

    private Task ReadLog(HttpContext context, string ns, string name)
    {
        if (_state.GetPod(ns, name) is not { } pod)
        {
            return Json(context, 404, Statuses.NotFound("pods", name));
        }

        var query = context.Request.Query;
        DateTimeOffset? since = null;
        if (int.TryParse(query["sinceSeconds"], CultureInfo.InvariantCulture, out var sinceSeconds))
        {
            since = TimeProvider.System.GetUtcNow().AddSeconds(-sinceSeconds);
        }
        else if (DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var sinceTime))
        {
            since = sinceTime;
        }

        var log = _state.GetLog(ns, name, since, query["timestamps"] == "true");
        if (log is null)
        {
            var reason = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Reason ?? "ContainerCreating";
            return Json(context, 400, Statuses.Failure(400, "BadRequest", $"container \"action\" in pod \"{name}\" is waiting to start: {reason}"));
        }

        var bytes = Encoding.UTF8.GetBytes(log);
        if (int.TryParse(query["limitBytes"], CultureInfo.InvariantCulture, out var limit) && limit < bytes.Length)
        {
            bytes = bytes[..limit];
        }

        context.Response.ContentType = "text/plain";
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private async Task ListOrWatch(HttpContext context, string kind, string listKind, Func<object, bool> filter)
    {
        var query = context.Request.Query;
        if (query["watch"] is var watch && (watch == "true" || watch == "1"))
        {
            await StreamWatchAsync(context, kind, query["resourceVersion"].ToString(), filter);
            return;
        }

        var (items, resourceVersion) = _state.List(kind, filter);
        object list = kind == "Node"
            ? new V1NodeList { ApiVersion = "v1", Kind = listKind, Metadata = new V1ListMeta { ResourceVersion = resourceVersion }, Items = items.Cast<V1Node>().ToList() }
            : new V1PodList { ApiVersion = "v1", Kind = listKind, Metadata = new V1ListMeta { ResourceVersion = resourceVersion }, Items = items.Cast<V1Pod>().ToList() };
        await Json(context, 200, list);
    }

    private async Task StreamWatchAsync(HttpContext context, string kind, string resourceVersion, Func<object, bool> filter)
    {
        context.Response.ContentType = "application/json";
        var from = long.TryParse(resourceVersion, CultureInfo.InvariantCulture, out var rv) ? rv : 0;
        var subscription = _state.Watch(kind, from, filter);
        if (subscription is null)
        {
            // What a real server sends for a compacted version: an ERROR event carrying a 410 Status, then the end.
            await context.Response.WriteAsync($"{{\"type\":\"ERROR\",\"object\":{Statuses.ToJson(Statuses.Gone(resourceVersion))}}}\n", context.RequestAborted);
            return;
        }

        try
        {
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var line in subscription.Lines.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
            // The client closed the watch.
        }
        finally
        {
            _state.Unwatch(subscription);
        }
    }

    private static Task Json(HttpContext context, int status, object body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body is V1Status failure ? Statuses.ToJson(failure) : KubernetesJson.Serialize(body), context.RequestAborted);
    }

    private static string Kubeconfig(Uri address) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: double
          cluster:
            server: {address.ToString().TrimEnd('/')}
        contexts:
        - name: double
          context:
            cluster: double
            user: double
            namespace: {Namespace}
        current-context: double
        users:
        - name: double
          user:
            token: test-double-token
        """;

    public async ValueTask DisposeAsync()
    {
        _state.CloseWatches();
        foreach (var key in _podLifetimes.Keys)
        {
            EndPodLifetime(key);
        }

        using var now = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(now.Token);
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
