using System.Diagnostics;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Benchmarks.ManyActions;

/// <summary>
/// P11: many actions on the no-op image, each with <c>memoryMb</c>, through one invoker whose warm pool may hold as many
/// containers as fit in <c>memoryCapMb</c> (WarmPool:MaxContainers = cap / memory; idle ones are evicted, oldest first).
/// Invocations pick an action by a Zipf(1) law (a few hot, a long tail), <c>concurrency</c> at a time. Baseline: one hot
/// action called the same way. While it runs, the engine's own accounting of the run's containers is sampled: how many
/// exist, their memory limits and their memory use (the cgroup's usage minus inactive file cache, as `docker stats`).
/// </summary>
internal sealed class ManyActionsBenchmark(string image, int actions, int invocations, int concurrency, int memoryMb, int memoryCapMb)
{
    private const string Platform = "linux/amd64";

    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var instance = $"bench{Environment.ProcessId}-p11";
        var state = Directory.CreateTempSubdirectory("invoker-p11-").FullName;
        var maxContainers = memoryCapMb / memoryMb;
        var services = BenchmarkHost.Create(instance, state, new Dictionary<string, string?>
        {
            ["WarmPool:MaxContainers"] = $"{maxContainers}",
            ["WarmPool:MaxContainersPerKey"] = "4",
        });
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        try
        {
            var invoker = services.GetRequiredService<ActionInvoker>();
            var store = services.GetRequiredService<IActionStore>();
            for (var i = 0; i < actions; i++)
            {
                await store.PutAsync(new ActionDefinition { Name = Name(i), Image = image, MemoryMb = memoryMb }, cancellationToken);
            }

            await store.PutAsync(new ActionDefinition { Name = "hot", Image = image, MemoryMb = memoryMb }, cancellationToken);
            Console.WriteLine($"P11: {actions} actions × {memoryMb} MiB, warm pool capped at {memoryCapMb} MiB = {maxContainers} containers; {invocations} invocations, {concurrency} at a time");

            // Baseline: one hot action, same concurrency (its first calls start its containers).
            await RunAsync(invoker, _ => "hot", concurrency * 4, cancellationToken);
            var hot = await RunAsync(invoker, _ => "hot", Math.Min(invocations, 400), cancellationToken);

            using var sampling = new CancellationTokenSource();
            var sampler = SampleAsync(docker, instance, sampling.Token);
            var random = new Random(11);
            var zipf = Zipf(actions);
            var picks = Enumerable.Range(0, invocations).Select(_ => Name(Pick(zipf, random.NextDouble()))).ToArray();
            var many = await RunAsync(invoker, i => picks[i], invocations, cancellationToken);
            await sampling.CancelAsync();
            var samples = await sampler;

            var all = Percentiles.Of([.. many.Select(s => s.Ms)]);
            var warm = Percentiles.Of([.. many.Where(s => !s.Cold).Select(s => s.Ms)]);
            var hotP = Percentiles.Of([.. hot.Select(s => s.Ms)]);
            var coldShare = many.Count(s => s.Cold) / (double)many.Count;
            var peakCount = samples.Count == 0 ? 0 : samples.Max(s => s.Containers);
            var peakUsage = samples.Count == 0 ? 0 : samples.Max(s => s.UsageBytes);
            var peakLimits = samples.Count == 0 ? 0 : samples.Max(s => s.LimitBytes);
            Console.WriteLine($"P11: across {actions} actions {all} (warm ones {warm}, cold {coldShare:P0}); one hot action {hotP}");
            Console.WriteLine($"P11: engine, {samples.Count} samples: at most {peakCount} containers, limits {peakLimits / 1048576.0:F0} MiB, in use {peakUsage / 1048576.0:F1} MiB (cap {memoryCapMb} MiB)");
            return new JsonObject
            {
                ["actions"] = actions,
                ["invocations"] = invocations,
                ["concurrency"] = concurrency,
                ["memoryMb"] = memoryMb,
                ["memoryCapMb"] = memoryCapMb,
                ["maxContainers"] = maxContainers,
                ["distinctActionsInvoked"] = picks.Distinct(StringComparer.Ordinal).Count(),
                ["coldShare"] = coldShare,
                ["many"] = all.ToJson(),
                ["manyWarm"] = warm.ToJson(),
                ["hot"] = hotP.ToJson(),
                ["engineSamples"] = samples.Count,
                ["peakContainers"] = peakCount,
                ["peakLimitBytes"] = peakLimits,
                ["peakUsageBytes"] = peakUsage,
            };
        }
        finally
        {
            await services.DisposeAsync();
            var left = await docker.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = Filter(instance) }, CancellationToken.None);
            foreach (var container in left)
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            }

            Directory.Delete(state, recursive: true);
        }
    }

    private static string Name(int index) => $"many-{index:000}";

    private async Task<List<(double Ms, bool Cold)>> RunAsync(ActionInvoker invoker, Func<int, string> target, int count, CancellationToken cancellationToken)
    {
        var samples = new List<(double Ms, bool Cold)>();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var clock = Stopwatch.GetTimestamp();
                var record = await invoker.InvokeAsync(new InvocationRequest(target(i), new JsonObject { ["i"] = i }, Platform), cancellationToken);
                var ms = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
                if (!record.IsSuccess)
                {
                    throw new InvalidOperationException($"{target(i)}: {record.Status} {record.Result?.ToJsonString()}");
                }

                lock (samples)
                {
                    samples.Add((ms, record.Cold));
                }
            }
        }));
        return samples;
    }

    /// <summary>Every 250 ms: the run's containers as the engine accounts them (cgroup v1 or v2, cgroupfs driver).</summary>
    private static async Task<List<(int Containers, long LimitBytes, long UsageBytes)>> SampleAsync(DockerClient docker, string instance, CancellationToken cancellationToken)
    {
        var samples = new List<(int, long, long)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters { Filters = Filter(instance) }, cancellationToken);
                long limits = 0;
                long usage = 0;
                foreach (var container in containers)
                {
                    var (limit, used) = Memory(container.ID);
                    limits += limit;
                    usage += used;
                }

                samples.Add((containers.Count, limits, usage));
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return samples;
    }

    private static (long Limit, long Usage) Memory(string id)
    {
        var v1 = $"/sys/fs/cgroup/memory/docker/{id}";
        var v2 = $"/sys/fs/cgroup/docker/{id}";
        try
        {
            if (Directory.Exists(v1))
            {
                var inactive = Stat(Path.Combine(v1, "memory.stat"), "total_inactive_file");
                return (Read(Path.Combine(v1, "memory.limit_in_bytes")), Read(Path.Combine(v1, "memory.usage_in_bytes")) - inactive);
            }

            if (Directory.Exists(v2))
            {
                return (Read(Path.Combine(v2, "memory.max")), Read(Path.Combine(v2, "memory.current")) - Stat(Path.Combine(v2, "memory.stat"), "inactive_file"));
            }
        }
        catch (IOException)
        {
            // Removed between the listing and the read.
        }

        return (0, 0);
    }

    private static long Read(string file) =>
        long.TryParse(File.ReadAllText(file).Trim(), out var value) ? value : 0;

    private static long Stat(string file, string key) =>
        File.ReadLines(file).Select(l => l.Split(' ')).Where(p => p.Length == 2 && p[0] == key).Select(p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

    private static Dictionary<string, IDictionary<string, bool>> Filter(string instance) =>
        new() { ["label"] = new Dictionary<string, bool> { [$"io.polyarch.benchmark={instance}"] = true } };

    private static double[] Zipf(int n)
    {
        var weights = Enumerable.Range(1, n).Select(k => 1.0 / k).ToArray();
        var total = weights.Sum();
        var cumulative = new double[n];
        var sum = 0.0;
        for (var i = 0; i < n; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        return cumulative;
    }

    private static int Pick(double[] cumulative, double u)
    {
        var index = Array.BinarySearch(cumulative, u);
        return Math.Min(cumulative.Length - 1, index >= 0 ? index : ~index);
    }
}
