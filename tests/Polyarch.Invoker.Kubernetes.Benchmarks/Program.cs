using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes;
using Polyarch.Invoker.Kubernetes.ApiServerDouble;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Lifecycle;
using Polyarch.Invoker.Kubernetes.Placement;
using static Polyarch.Invoker.Kubernetes.ApiServerDouble.NodeFactory;

// Placement on a simulated 5,000-node mixed cluster (the API-server test double): placement time per activation
// (target ≤ 5 ms p50) and API calls per activation (target: only the pod's own create, watch, log, delete).
// Usage: dotnet run -c Release --project tests/Polyarch.Invoker.Kubernetes.Benchmarks [-- NODES PLACEMENTS RUNS] [--json FILE]
var jsonIndex = Array.IndexOf(args, "--json");
var jsonFile = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
args = jsonIndex >= 0 ? [.. args.Take(jsonIndex), .. args.Skip(jsonIndex + 2)] : args;
var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5000;
var placements = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5000;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 50;

await using var server = await ApiServerDouble.StartAsync();
var arches = new[] { "amd64", "amd64", "arm64", "arm64", "ppc64le" };
for (var i = 0; i < nodes; i++)
{
    var arch = arches[i % arches.Length];
    var gpu = arch == "amd64" && i % 50 == 0;
    server.AddNode(Node(
        $"node-{i:D5}", arch,
        cpu: (4 + (i % 4) * 4).ToString(CultureInfo.InvariantCulture),
        memory: $"{8 << (i % 3)}Gi",
        gpus: gpu ? 1 : 0,
        ready: i % 97 != 0,
        cordoned: i % 101 == 0,
        labels: new Dictionary<string, string> { ["topology.kubernetes.io/zone"] = $"zone-{i % 6}", ["polyarch.io/dataset"] = i % 500 == 0 ? "sales" : "none" },
        taints: gpu ? [Taint("nvidia.com/gpu", "present")] : null));
}

var options = new KubernetesBackendOptions { Kubeconfig = server.KubeconfigPath, Instance = "bench" };
var (client, ns) = KubernetesConnection.Connect(options);
await using var inventory = new NodeInventory(client, NullLogger<NodeInventory>.Instance, TimeProvider.System);
using var http = new HttpClient();
await using var backend = new KubernetesBackend(inventory, new PodClient(client, ns, NullLogger<PodClient>.Instance), options, new Polyarch.Invoker.InvokerOptions(), null, http, new Polyarch.Invoker.Pool.WarmPool(Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.Pool.WarmPoolOptions()), TimeProvider.System, NullLogger<Polyarch.Invoker.Pool.WarmPool>.Instance), TimeProvider.System, NullLogger<KubernetesBackend>.Instance);
var sync = Stopwatch.StartNew();
await backend.StartAsync(CancellationToken.None);
Console.WriteLine($"inventory: {inventory.Snapshot.Nodes.Count} nodes listed and watched in {sync.ElapsedMilliseconds} ms ({inventory.Snapshot.ByPlatform.Count} platforms)");

const string Repo = "127.0.0.1:5000/demo/echo";
var variants = new List<VariantInfo>
{
    new("linux/amd64", "sha256:" + new string('a', 64), new Dictionary<string, string>()),
    new("linux/arm64", "sha256:" + new string('b', 64), new Dictionary<string, string>()),
    new("linux/ppc64le", "sha256:" + new string('c', 64), new Dictionary<string, string>()),
};
var gpuVariants = variants.Select(v => v.Platform == "linux/amd64" ? v with { Labels = new Dictionary<string, string> { [ImageLabels.RequiresGpu] = "nvidia" } } : v).ToList();
string?[] platforms = [null, "linux/amd64", "linux/arm64", "linux/ppc64le"];
PodRequest Request(int i) => new()
{
    ActionName = "echo",
    ActivationId = i.ToString("x32", CultureInfo.InvariantCulture),
    RepositoryName = Repo,
    IndexDigest = "sha256:" + new string('1', 64),
    Variants = i % 10 == 0 ? gpuVariants : variants,
    Platform = platforms[i % platforms.Length] ?? (i % 10 == 0 ? "linux/amd64" : null),
    MemoryBytes = (256L << 20) * (1 + (i % 8)),
    Cpus = 0.5 * (1 + (i % 4)),
    DataLocality = i % 3 == 0 ? [new DataLocalityPreference { Label = "polyarch.io/dataset", Value = "sales", Weight = 80 }] : [],
    ParamsJson = $"{{\"i\":{i}}}",
};

// Warm-up, then measure Plan (placement + pod spec) per activation.
for (var i = 0; i < 200; i++)
{
    backend.Plan(Request(i), out _);
}

server.ClearCalls();
var samples = new double[placements];
for (var i = 0; i < placements; i++)
{
    var start = Stopwatch.GetTimestamp();
    backend.Plan(Request(i), out _);
    samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}

var callsDuringPlacement = server.Calls.Count;
Array.Sort(samples);
double Percentile(double p) => samples[Math.Min(samples.Length - 1, (int)Math.Ceiling(p * samples.Length) - 1)];
Console.WriteLine($"placement per activation ({placements} activations, {nodes} nodes): p50 {Percentile(0.50):0.000} ms, p95 {Percentile(0.95):0.000} ms, p99 {Percentile(0.99):0.000} ms, max {samples[^1]:0.000} ms (target p50 <= 5 ms: {(Percentile(0.50) <= 5 ? "met" : "MISSED")})");
Console.WriteLine($"API calls during {placements} placements: {callsDuringPlacement}");

// Full exec activations: count the API calls each makes.
server.ClearCalls();
var total = Stopwatch.StartNew();
var statuses = new Dictionary<string, int>();
for (var i = 0; i < runs; i++)
{
    var run = await backend.RunAsync(Request(i + 1) with { DataLocality = [] }, CancellationToken.None);
    statuses[run.Status] = statuses.GetValueOrDefault(run.Status) + 1;
}

var calls = server.Calls;
var byKind = calls.GroupBy(c => c.IsWatch ? $"{c.Method} watch" : c.Path.EndsWith("/log", StringComparison.Ordinal) ? "GET log" : c.Method == "DELETE" ? "DELETE pod" : c.Method == "POST" ? "POST pod" : $"{c.Method} {c.Path}")
    .OrderBy(g => g.Key, StringComparer.Ordinal)
    .Select(g => $"{g.Key}={(double)g.Count() / runs:0.##}");
var nodeCalls = calls.Count(c => c.Path.StartsWith("/api/v1/nodes", StringComparison.Ordinal));
Console.WriteLine($"exec activations: {runs} in {total.ElapsedMilliseconds} ms, statuses: {string.Join(", ", statuses.Select(s => $"{s.Key}={s.Value}"))}");
Console.WriteLine($"API calls per activation: {(double)calls.Count / runs:0.##} ({string.Join(", ", byKind)}); node calls: {nodeCalls} (target 0: {(nodeCalls == 0 && calls.Count == runs * 4 ? "met" : "MISSED")})");
// Warm http activations: the same pod reused, reached at its pod IP (in-cluster) or through the API server's port-forward
// (from outside; the double relays the WebSocket to a local action proxy). Per warm activation: /run plus one log read.
await using var proxy = await ActionProxyDouble.StartAsync();
proxy.RefuseSecondInit = false; // one listener plays the action proxy of both backends' pods
server.Behaviour = p => p.Metadata.Labels["io.polyarch.action"] == "echo-http" ? PodBehaviour.Serve : PodBehaviour.RunToCompletion;
var warmResults = new System.Text.Json.Nodes.JsonObject();
foreach (var access in new[] { PodAccess.PodIp, PodAccess.PortForward })
{
    var httpOptions = new KubernetesBackendOptions { Kubeconfig = server.KubeconfigPath, Instance = $"bench-{access}".ToLowerInvariant(), PodAccess = access };
    // The pool owns the warm pods (as the host's container owns it in serve): disposing it deletes them, so the next
    // access mode starts from an empty namespace rather than meeting the previous mode's pods.
    await using var pool = new Polyarch.Invoker.Pool.WarmPool(Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.Pool.WarmPoolOptions()), TimeProvider.System, NullLogger<Polyarch.Invoker.Pool.WarmPool>.Instance);
    await using var httpBackend = new KubernetesBackend(inventory, new PodClient(client, ns, NullLogger<PodClient>.Instance), httpOptions, new Polyarch.Invoker.InvokerOptions(), null, http, pool, TimeProvider.System, NullLogger<KubernetesBackend>.Instance);
    var httpRequest = Request(1) with { ActionName = "echo-http", Platform = "linux/arm64", Protocol = ActionProtocol.Http, Port = proxy.Port, DataLocality = [], MemoryBytes = 256L << 20, Cpus = 0.5 };
    var cold = await httpBackend.RunAsync(httpRequest, CancellationToken.None);
    for (var i = 0; i < 20; i++)
    {
        await httpBackend.RunAsync(httpRequest with { ActivationId = $"warmup{i}" }, CancellationToken.None);
    }

    server.ClearCalls();
    var warm = new double[runs];
    var warmOk = 0;
    for (var i = 0; i < runs; i++)
    {
        var start = Stopwatch.GetTimestamp();
        var run = await httpBackend.RunAsync(httpRequest with { ActivationId = $"warm{i}" }, CancellationToken.None);
        warm[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        warmOk += run.Status == ActivationStatus.Success && !run.Cold ? 1 : 0;
    }

    Array.Sort(warm);
    var warmCalls = server.Calls.Count;
    Console.WriteLine($"warm http activations via {access}: {warmOk}/{runs} warm successes (cold: {cold.Status}), p50 {warm[runs / 2]:0.00} ms, max {warm[^1]:0.00} ms, API calls per warm activation {(double)warmCalls / runs:0.##} ({string.Join(", ", server.Calls.GroupBy(c => c.Path.EndsWith("/log", StringComparison.Ordinal) ? "GET log" : c.Path.EndsWith("/portforward", StringComparison.Ordinal) ? "GET portforward" : c.IsWatch ? "GET watch" : $"{c.Method} pod").Select(g => $"{g.Key}={(double)g.Count() / runs:0.##}"))})");
    warmResults[access.ToString()] = new System.Text.Json.Nodes.JsonObject { ["unit"] = "ms", ["median"] = warm[runs / 2], ["max"] = warm[^1], ["n"] = runs, ["apiCallsPerActivation"] = (double)warmCalls / runs };
}

if (jsonFile is not null)
{
    var json = new System.Text.Json.Nodes.JsonObject
    {
        ["nodes"] = nodes,
        ["placement"] = new System.Text.Json.Nodes.JsonObject { ["unit"] = "ms", ["median"] = Percentile(0.50), ["p99"] = Percentile(0.99), ["min"] = samples[0], ["max"] = samples[^1], ["n"] = placements },
        ["apiCallsDuringPlacement"] = callsDuringPlacement,
        ["activations"] = runs,
        ["apiCallsPerActivation"] = (double)calls.Count / runs,
        ["nodeCalls"] = nodeCalls,
        ["warmHttp"] = warmResults,
    };
    await File.WriteAllTextAsync(jsonFile, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
}

return 0;
