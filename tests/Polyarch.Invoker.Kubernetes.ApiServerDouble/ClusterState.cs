using k8s;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// The double's etcd: nodes and pods under one lock, one resourceVersion counter, an event history that
/// watches replay from their resourceVersion (older than <see cref="Compact"/>'s mark → 410 Gone), and the
/// scheduler/kubelet simulation that runs synchronously on every change, so tests need no timers.
/// </summary>
internal sealed class ClusterState
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, V1Node> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, V1Pod> _pods = new(StringComparer.Ordinal);
    private readonly List<StoredEvent> _history = [];
    private readonly List<WatchSubscription> _watches = [];
    private readonly Dictionary<string, List<LogLine>> _logs = new(StringComparer.Ordinal);
    private DateTimeOffset _lastLogTime;
    private long _resourceVersion = 1;
    private long _compactedBefore;

    public Func<V1Pod, PodBehaviour> Behaviour { get; set; } = _ => PodBehaviour.RunToCompletion;

    public Func<V1Pod, V1Node, string> LogWriter { get; set; } = (_, _) => "";

    /// <summary>Child manifest digest → architecture, so a pinned image on a node of another arch gets exec format error.</summary>
    public Dictionary<string, string> DigestArchitectures { get; } = new(StringComparer.Ordinal);

    public string PullMessage { get; set; } = "rpc error: code = NotFound desc = failed to pull and unpack image: not found";

    public string ResourceVersion => _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void PutNode(V1Node node)
    {
        lock (_lock)
        {
            var type = _nodes.ContainsKey(node.Metadata.Name) ? "MODIFIED" : "ADDED";
            _nodes[node.Metadata.Name] = node;
            Emit("Node", type, node);
            RetryPending();
        }
    }

    public void RemoveNode(string name)
    {
        lock (_lock)
        {
            if (_nodes.Remove(name, out var node))
            {
                Emit("Node", "DELETED", node);
            }
        }
    }

    /// <summary>Forgets history: watches from an older resourceVersion get 410 Gone (etcd compaction).</summary>
    public void Compact()
    {
        lock (_lock)
        {
            _compactedBefore = _resourceVersion + 1;
            _history.Clear();
            foreach (var watch in _watches.Where(w => w.Kind == "Node"))
            {
                // A real server ends long-running watches too; the client resumes from its last version, now gone.
                watch.Lines.Writer.TryComplete();
            }
        }
    }

    public (List<object> Items, string ResourceVersion) List(string kind, Func<object, bool> filter)
    {
        lock (_lock)
        {
            IEnumerable<object> items = kind == "Node" ? _nodes.Values : _pods.Values;
            return (items.Where(filter).Select(Clone).ToList(), ResourceVersion);
        }
    }

    public V1Pod? GetPod(string ns, string name)
    {
        lock (_lock)
        {
            return _pods.TryGetValue($"{ns}/{name}", out var pod) ? Clone(pod) : null;
        }
    }

    /// <summary>The container's log as the kubelet serves it (null: the container never started), from <paramref name="since"/> on.</summary>
    public string? GetLog(string ns, string name, DateTimeOffset? since, bool timestamps)
    {
        lock (_lock)
        {
            if (!_logs.TryGetValue($"{ns}/{name}", out var lines))
            {
                return null;
            }

            var text = new System.Text.StringBuilder();
            foreach (var line in lines.Where(l => since is null || l.Time >= since))
            {
                if (timestamps)
                {
                    text.Append(LogLine.Format(line.Time)).Append(' ');
                }

                text.Append(line.Text).Append('\n');
            }

            return text.ToString();
        }
    }

    /// <summary>Appends one line to a running pod's log (what its container prints), stamped now; false when the pod is gone.</summary>
    public bool AppendLog(string ns, string name, string line)
    {
        lock (_lock)
        {
            if (!_pods.ContainsKey($"{ns}/{name}"))
            {
                return false;
            }

            if (!_logs.TryGetValue($"{ns}/{name}", out var lines))
            {
                lines = [];
                _logs[$"{ns}/{name}"] = lines;
            }

            lines.Add(new LogLine(NextLogTime(), line));
            return true;
        }
    }

    public (V1Pod? Pod, bool Conflict) CreatePod(string ns, V1Pod pod)
    {
        lock (_lock)
        {
            var key = $"{ns}/{pod.Metadata.Name}";
            if (_pods.ContainsKey(key))
            {
                return (null, true);
            }

            pod.Metadata.NamespaceProperty = ns;
            pod.Metadata.Uid = Guid.NewGuid().ToString();
            pod.Metadata.CreationTimestamp = TimeProvider.System.GetUtcNow().UtcDateTime;
            pod.Status = new V1PodStatus { Phase = "Pending", QosClass = "Guaranteed" };
            _pods[key] = pod;
            Emit("Pod", "ADDED", pod);
            var created = Clone(pod);
            TrySchedule(pod);
            return (created, false);
        }
    }

    public V1Pod? DeletePod(string ns, string name)
    {
        lock (_lock)
        {
            if (!_pods.Remove($"{ns}/{name}", out var pod))
            {
                return null;
            }

            _logs.Remove($"{ns}/{name}");
            Emit("Pod", "DELETED", pod);
            RetryPending();
            return Clone(pod);
        }
    }

    /// <summary>Registers a watch; returns the history to replay first, or null when the version is compacted (410).</summary>
    public WatchSubscription? Watch(string kind, long fromVersion, Func<object, bool> filter)
    {
        lock (_lock)
        {
            if (fromVersion != 0 && fromVersion < _compactedBefore)
            {
                return null;
            }

            var watch = new WatchSubscription(kind, filter);
            foreach (var stored in _history.Where(e => e.Kind == kind && e.ResourceVersion > fromVersion && filter(e.Object)))
            {
                watch.Lines.Writer.TryWrite(stored.Line);
            }

            _watches.Add(watch);
            return watch;
        }
    }

    /// <summary>Watches still open (a client that forgets to close its watches leaks them on a real server too).</summary>
    public int OpenWatches
    {
        get
        {
            lock (_lock)
            {
                return _watches.Count;
            }
        }
    }

    /// <summary>Ends every open watch (shutdown).</summary>
    public void CloseWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watches)
            {
                watch.Lines.Writer.TryComplete();
            }
        }
    }

    public void Unwatch(WatchSubscription watch)
    {
        lock (_lock)
        {
            _watches.Remove(watch);
        }
    }

    private void Emit(string kind, string type, IKubernetesObject<V1ObjectMeta> item)
    {
        _resourceVersion++;
        item.Metadata.ResourceVersion = ResourceVersion;
        var snapshot = Clone((object)item);
        var line = $"{{\"type\":\"{type}\",\"object\":{KubernetesJson.Serialize(snapshot)}}}";
        _history.Add(new StoredEvent(_resourceVersion, kind, type, snapshot, line));
        foreach (var watch in _watches.Where(w => w.Kind == kind && w.Filter(snapshot)))
        {
            watch.Lines.Writer.TryWrite(line);
        }
    }

    private void RetryPending()
    {
        foreach (var pod in _pods.Values.Where(p => p.Spec.NodeName is null).ToList())
        {
            TrySchedule(pod);
        }
    }

    private void TrySchedule(V1Pod pod)
    {
        var bound = _pods.Values.Where(p => p.Spec.NodeName is not null).ToList();
        var (node, message) = Scheduler.Schedule(pod, _nodes.Values, bound);
        if (node is null)
        {
            var condition = pod.Status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
            if (condition?.Message == message)
            {
                return;
            }

            pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = message }];
            Emit("Pod", "MODIFIED", pod);
            return;
        }

        pod.Spec.NodeName = node.Metadata.Name;
        pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True" }];
        pod.Status.HostIP = "127.0.0.1";
        Emit("Pod", "MODIFIED", pod);
        Kubelet.Run(pod, node, this);
    }

    /// <summary>Called by <see cref="Kubelet"/> to publish each status step.</summary>
    public void Update(V1Pod pod) => Emit("Pod", "MODIFIED", pod);

    public void SetLog(V1Pod pod, string log)
    {
        var time = NextLogTime();
        _logs[$"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}"] = log.Length == 0 ? [] :
            [.. log.Split('\n').SkipLast(log.EndsWith('\n') ? 1 : 0).Select(l => new LogLine(time, l))];
    }

    /// <summary>Now, but strictly after the previous log line (a real node's nanosecond stamps hardly ever tie).</summary>
    private DateTimeOffset NextLogTime()
    {
        var now = TimeProvider.System.GetUtcNow();
        _lastLogTime = now > _lastLogTime ? now : _lastLogTime.AddTicks(1);
        return _lastLogTime;
    }

    private static T Clone<T>(T item) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(item!));

    private static object Clone(object item) => item switch
    {
        V1Node node => Clone(node),
        V1Pod pod => Clone(pod),
        _ => item,
    };
}
