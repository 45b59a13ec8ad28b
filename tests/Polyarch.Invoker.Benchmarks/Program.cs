using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Benchmarks;
using Polyarch.Invoker.Invocation;

// polyarch-invoker benchmark, one run on one image (default: the host registry's demo/echo, built with
// `docker buildx bake --push echo`). Usage: Polyarch.Invoker.Benchmarks [IMAGE] [--warm N] [--cold N] [--seconds S]
// For no-op throughput: docker buildx build --platform linux/amd64 --push -t 127.0.0.1:5000/polyarch-bench/noop:latest
// tests/Polyarch.Invoker.Benchmarks/noop, then pass that image.
// --emulated N: N warm calls per emulated platform (linux/arm64, linux/ppc64le; P8; 0 skips them).
// --throughput-image IMAGE: measure throughput (P6) on this image (e.g. the noop above) instead of IMAGE; the
//   ceiling is measured too: the same warm container called directly, sequentially, by one pooled HttpClient.
// --json FILE: also write the results as JSON (scripts/bench.sh aggregates them).
// --workflow [--steps N] [--runs N]: only W1, the workflow engine's per-step overhead vs invoking the same actions directly.
// --store sqlite,postgres [--records N] [--baseline N]: P9 instead, the activation store at scale (StoreScale/).
if (args.Contains("--store"))
{
    return await Polyarch.Invoker.Benchmarks.StoreScale.StoreScaleCommand.RunAsync(args);
}

// --push-burst (P10) / --many-actions (P11): see ScaleCommands.
if (args.Contains("--push-burst") || args.Contains("--many-actions"))
{
    return await ScaleCommands.RunAsync(args);
}

var image = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "127.0.0.1:5000/demo/echo:latest";
var warmCount = Option("--warm", 300);
var coldCount = Option("--cold", 8);
var seconds = Option("--seconds", 3);
var emulatedCount = Option("--emulated", 40);
var throughputIndex = Array.IndexOf(args, "--throughput-image");
var throughputImage = throughputIndex >= 0 && throughputIndex + 1 < args.Length ? args[throughputIndex + 1] : image;
var jsonIndex = Array.IndexOf(args, "--json");
var jsonFile = jsonIndex >= 0 && jsonIndex + 1 < args.Length ? args[jsonIndex + 1] : null;
const string DockerCli = "/usr/bin/docker";
// --workflow: W1 only, the workflow engine's overhead per step (--steps N, --runs N) on IMAGE's linux/amd64 variant.
if (args.Contains("--workflow"))
{
    return await WorkflowBenchmark.RunAsync(image, Option("--steps", 5), Option("--runs", 20), jsonFile);
}

const string Platform = "linux/amd64";

var instance = $"bench{Environment.ProcessId}";
var state = Directory.CreateTempSubdirectory("invoker-bench-").FullName;
var services = BenchmarkHost.Create(instance, state);
var invoker = services.GetRequiredService<ActionInvoker>();
var actions = services.GetRequiredService<IActionStore>();
using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
try
{
    Console.WriteLine($"Image {image} on {Platform}; {Environment.ProcessorCount} cores");

    // docker run --rm of the same image running `true`, the baseline for cold and warm.
    await DockerRunAsync(); // pull and page in
    var dockerRun = new List<double>();
    for (var i = 0; i < coldCount; i++)
    {
        dockerRun.Add(await DockerRunAsync());
    }

    // Cold: a new container per call (a distinct pool key per iteration; the image is already pulled).
    var cold = new List<double>();
    for (var i = 0; i < coldCount + 1; i++)
    {
        await actions.PutAsync(new ActionDefinition { Name = $"cold{i}", Image = image, Environment = new Dictionary<string, string> { ["I"] = $"{i}" } }, CancellationToken.None);
        var clock = Stopwatch.GetTimestamp();
        var record = await invoker.InvokeAsync(new InvocationRequest($"cold{i}", [], Platform), CancellationToken.None);
        Require(record.Cold && record.IsSuccess, record);
        if (i > 0)
        {
            cold.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        }
    }

    // Warm: one action, one container, sequential calls through the invoker.
    await actions.PutAsync(new ActionDefinition { Name = "warm", Image = image }, CancellationToken.None);
    var first = await invoker.InvokeAsync(new InvocationRequest("warm", [], Platform), CancellationToken.None);
    Require(first.IsSuccess, first);
    // Warm vs direct, interleaved so that load on this shared machine hits both alike: the invoker, then
    // the same warm container called with the same /run body by our own pooled HttpClient (no invoker).
    var port = await WarmPortAsync(first.ActivationId);
    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
    var warm = new List<double>();
    var direct = new List<double>();
    for (var i = 0; i < warmCount; i++)
    {
        var clock = Stopwatch.GetTimestamp();
        var record = await invoker.InvokeAsync(new InvocationRequest("warm", new JsonObject { ["i"] = i }, Platform), CancellationToken.None);
        warm.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        Require(!record.Cold && record.IsSuccess, record);

        var body = new JsonObject { ["value"] = new JsonObject { ["i"] = i }, ["namespace"] = "polyarch", ["action_name"] = "warm", ["activation_id"] = record.ActivationId, ["deadline"] = 0L };
        using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        clock = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/run"), content);
        _ = await response.Content.ReadAsByteArrayAsync();
        direct.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        response.EnsureSuccessStatusCode();
    }

    // The invoker's own path (action lookup, cached resolution, placement, record) with a backend that answers
    // at once: the overhead independent of how loaded the machine's containers are.
    var nullInvoker = new ActionInvoker(
        actions,
        services.GetRequiredService<Polyarch.Invoker.Activations.IActivationStore>(),
        services.GetRequiredService<Polyarch.Invoker.Images.IVariantCatalog>(),
        new NullBackend(await services.GetRequiredService<IActionBackend>().GetInventoryAsync(CancellationToken.None)),
        TimeProvider.System,
        services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Polyarch.Invoker.InvokerOptions>>(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<ActionInvoker>.Instance);
    var own = new List<double>();
    for (var i = 0; i < 20_000; i++)
    {
        var clock = Stopwatch.GetTimestamp();
        await nullInvoker.InvokeAsync(new InvocationRequest("warm", new JsonObject { ["i"] = i }, Platform), CancellationToken.None);
        if (i >= 1000)
        {
            own.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
        }
    }

    // Throughput: c concurrent callers of a warm action (up to c warm containers), for a fixed time.
    await actions.PutAsync(new ActionDefinition { Name = "throughput", Image = throughputImage }, CancellationToken.None);
    var firstThroughput = await invoker.InvokeAsync(new InvocationRequest("throughput", [], Platform), CancellationToken.None);
    Require(firstThroughput.IsSuccess, firstThroughput);
    var throughput = new List<(int Concurrency, double PerSecond)>();
    foreach (var concurrency in new[] { 1, 2, 4, 8 })
    {
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => invoker.InvokeAsync(new InvocationRequest("throughput", [], Platform), CancellationToken.None)));
        var completed = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var record = await invoker.InvokeAsync(new InvocationRequest("throughput", [], Platform), CancellationToken.None);
                Require(record.IsSuccess, record);
                Interlocked.Increment(ref completed);
            }
        }));
        throughput.Add((concurrency, completed / Stopwatch.GetElapsedTime(clock).TotalSeconds));
    }

    // The ceiling of the above: the first throughput container called directly (no invoker) with the same body
    // shape, sequentially and at c concurrent keep-alive connections, by one pooled HttpClient.
    var throughputPort = await WarmPortAsync(firstThroughput.ActivationId);
    var directThroughput = new List<(int Concurrency, double PerSecond)>();
    foreach (var concurrency in new[] { 1, 2 })
    {
        var completed = 0;
        var deadline = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var clock = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Stopwatch.GetTimestamp() < deadline)
            {
                var body = new JsonObject { ["value"] = new JsonObject(), ["namespace"] = "polyarch", ["action_name"] = "throughput", ["activation_id"] = "direct", ["deadline"] = 0L };
                using var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{throughputPort}/run"), content);
                await response.Content.LoadIntoBufferAsync();
                response.EnsureSuccessStatusCode();
                Interlocked.Increment(ref completed);
            }
        }));
        directThroughput.Add((concurrency, completed / Stopwatch.GetElapsedTime(clock).TotalSeconds));
    }

    // P8: the same warm invocation on emulated platforms (QEMU), measured like the native one.
    var emulated = new List<(string Platform, Percentiles Warm)>();
    foreach (var platform in emulatedCount > 0 ? new[] { "linux/arm64", "linux/ppc64le" } : [])
    {
        var name = $"warm-{platform.Replace('/', '-')}";
        await actions.PutAsync(new ActionDefinition { Name = name, Image = image }, CancellationToken.None);
        Require((await invoker.InvokeAsync(new InvocationRequest(name, [], platform), CancellationToken.None)).IsSuccess, first);
        var samples = new List<double>();
        for (var i = 0; i < emulatedCount; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            var record = await invoker.InvokeAsync(new InvocationRequest(name, new JsonObject { ["i"] = i }, platform), CancellationToken.None);
            samples.Add(Stopwatch.GetElapsedTime(clock).TotalMilliseconds);
            Require(!record.Cold && record.IsSuccess, record);
        }

        emulated.Add((platform, Percentiles.Of(samples)));
    }

    var run = Percentiles.Of(dockerRun);
    var coldP = Percentiles.Of(cold);
    var warmP = Percentiles.Of(warm);
    var directP = Percentiles.Of(direct);
    Console.WriteLine();
    Console.WriteLine($"docker run --rm     {run}");
    Console.WriteLine($"cold invocation     {coldP}");
    Console.WriteLine($"warm invocation     {warmP}");
    Console.WriteLine($"direct HTTP /run    {directP}");
    Console.WriteLine($"invoker path only   {Percentiles.Of(own)}  (null backend)");
    foreach (var (concurrency, perSecond) in throughput)
    {
        Console.WriteLine($"warm throughput c={concurrency}  {perSecond,8:0.0} invocations/s  ({throughputImage})");
    }

    foreach (var (concurrency, perSecond) in directThroughput)
    {
        Console.WriteLine($"direct HTTP c={concurrency}      {perSecond,8:0.0} requests/s     (one warm container, no invoker)");
    }

    Console.WriteLine();
    Console.WriteLine($"warm vs docker run (p50):   {run.P50 / warmP.P50,8:0.0}x faster   (target >= 60x)");
    Console.WriteLine($"warm vs docker run (p99):   {run.P99 / warmP.P99,8:0.0}x faster");
    var overhead = Percentiles.Of([.. warm.Zip(direct, (w, d) => w - d)]);
    Console.WriteLine($"invoker overhead (p50):     {warmP.P50 - directP.P50,8:0.000} ms     (target <= 1 ms; paired p50 {overhead.P50:0.000} ms)");
    Console.WriteLine($"invoker overhead (p99):     {warmP.P99 - directP.P99,8:0.000} ms");
    Console.WriteLine($"cold vs docker run (p50):   {coldP.P50 / run.P50,8:0.00}x       (target <= 1.2x)");
    Console.WriteLine($"best warm throughput:       {throughput.Max(t => t.PerSecond),8:0.0}/s    (target >= 300/s)");
    foreach (var (platform, p) in emulated)
    {
        Console.WriteLine($"warm invocation {platform,-14} {p}  ({p.P50 / warmP.P50:0.0}x native p50)");
    }

    if (jsonFile is not null)
    {
        var emulatedJson = new JsonObject();
        foreach (var (platform, p) in emulated)
        {
            emulatedJson[platform] = p.ToJson();
        }

        var json = new JsonObject
        {
            ["image"] = image,
            ["platform"] = Platform,
            ["dockerRun"] = run.ToJson(),
            ["cold"] = coldP.ToJson(),
            ["warm"] = warmP.ToJson(),
            ["direct"] = directP.ToJson(),
            ["overheadPaired"] = overhead.ToJson(),
            ["invokerPathOnly"] = Percentiles.Of(own).ToJson(),
            ["throughputImage"] = throughputImage,
            ["throughput"] = new JsonArray([.. throughput.Select(t => (JsonNode)new JsonObject { ["concurrency"] = t.Concurrency, ["perSecond"] = t.PerSecond, ["seconds"] = seconds })]),
            ["directThroughput"] = new JsonArray([.. directThroughput.Select(t => (JsonNode)new JsonObject { ["concurrency"] = t.Concurrency, ["perSecond"] = t.PerSecond, ["seconds"] = seconds })]),
            ["emulated"] = emulatedJson,
        };
        await File.WriteAllTextAsync(jsonFile, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    return 0;
}
finally
{
    await services.DisposeAsync();
    await RemoveByLabelAsync();
    Directory.Delete(state, recursive: true);
}

async Task<double> DockerRunAsync()
{
    var clock = Stopwatch.GetTimestamp();
    var result = await Cli.Wrap(DockerCli)
        .WithArguments(["run", "--rm", "--platform", Platform, "--label", $"io.polyarch.benchmark={instance}", "--entrypoint", "true", "--", image])
        .WithValidation(CommandResultValidation.None)
        .ExecuteBufferedAsync();
    var elapsed = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"docker run {image} failed ({result.ExitCode}): {result.StandardError}");
    }

    return elapsed;
}

async Task<string> WarmPortAsync(string activationId)
{
    var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
    {
        Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.polyarch.activation={activationId}"] = true } },
    });
    return $"{containers.Single().Ports.Single(p => p.PrivatePort == 8080).PublicPort}";
}

async Task RemoveByLabelAsync()
{
    var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
    {
        All = true,
        Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.polyarch.benchmark={instance}"] = true } },
    });
    foreach (var container in containers)
    {
        await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
    }
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out var value) ? value : fallback;
}

static void Require(bool condition, Polyarch.Invoker.Activations.ActivationRecord record)
{
    if (!condition)
    {
        throw new InvalidOperationException($"Unexpected activation: {record.Status} cold={record.Cold} {record.Result?.ToJsonString()}");
    }
}
