using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Artifacts;
using Polyarch.Testing;

namespace Polyarch.Registry.Benchmarks;

/// <summary>
/// Storing and loading a 10 MB artifact through <see cref="IArtifactStore"/> (blob HEAD + POST + streaming PUT with the
/// file's sha256, the empty config, the manifest; pull: manifest GET, blob GET streamed to a file with digest check)
/// vs the bare minimum a client must do for the same bytes with HttpClient: hash, POST + PUT the blob; GET it to a file.
/// Each iteration uses new random content, so nothing is skipped as already present.
/// </summary>
internal static class ArtifactBenchmark
{
    private const int SizeBytes = 10 * 1024 * 1024;

    public static async Task<JsonObject> RunAsync(int iterations, int warmup)
    {
        await ContainerHost.EnsureUpAsync();
        await using var registry = await RegistryInstance.StartAsync();
        var work = Directory.CreateTempSubdirectory("polyarch-artifact-bench-");
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry(o => o.UseDockerConfig = false);
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<IArtifactStore>();
        using var http = new HttpClient { BaseAddress = registry.BaseUri };
        var samples = new Dictionary<string, List<double>> { ["store"] = [], ["rawStore"] = [], ["load"] = [], ["rawLoad"] = [] };
        try
        {
            for (var i = 0; i < warmup + iterations; i++)
            {
                var file = Path.Combine(work.FullName, "model.bin");
                await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(SizeBytes));
                var reference = Polyarch.Registry.References.ImageReference.Parse($"{registry.Address}/bench/artifacts:run-{i}");
                var store1 = await TimeAsync(() => store.PushAsync(reference, new ArtifactSpec
                {
                    ArtifactType = "application/vnd.polyarch.step-result.v1+json",
                    Files = [ArtifactFile.FromFile(file)],
                }));
                var load1 = await TimeAsync(() => store.PullAsync(reference, Path.Combine(work.FullName, $"pulled-{i}")));

                await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(SizeBytes));
                string? digest = null;
                var rawStore = await TimeAsync(async () => digest = await RawPutAsync(http, file));
                var rawLoad = await TimeAsync(() => RawGetAsync(http, digest!, Path.Combine(work.FullName, $"raw-{i}.bin")));
                if (i >= warmup)
                {
                    samples["store"].Add(store1);
                    samples["load"].Add(load1);
                    samples["rawStore"].Add(rawStore);
                    samples["rawLoad"].Add(rawLoad);
                }
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var result = new JsonObject { ["sizeBytes"] = SizeBytes, ["iterations"] = iterations };
        foreach (var (name, values) in samples)
        {
            result[name] = new JsonObject { ["samplesMs"] = new JsonArray([.. values.Select(v => (JsonNode)Math.Round(v, 2))]), ["median"] = Math.Round(Median(values), 2) };
        }

        Console.WriteLine($"Storing and loading a {SizeBytes / 1024 / 1024} MiB artifact ({iterations} runs after {warmup} warm-up, median ms):");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  store  IArtifactStore.PushAsync {Median(samples["store"]),8:F1}   raw HttpClient hash+POST+PUT {Median(samples["rawStore"]),8:F1}   ratio {Median(samples["store"]) / Median(samples["rawStore"]):F2}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load   IArtifactStore.PullAsync {Median(samples["load"]),8:F1}   raw HttpClient GET to a file  {Median(samples["rawLoad"]),8:F1}   ratio {Median(samples["load"]) / Median(samples["rawLoad"]):F2}x"));
        return result;
    }

    private static async Task<string> RawPutAsync(HttpClient http, string file)
    {
        string digest;
        await using (var hashing = File.OpenRead(file))
        {
            digest = "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(hashing));
        }

        using var started = await http.PostAsync(new Uri("v2/bench/raw/blobs/uploads/", UriKind.Relative), new ByteArrayContent([]));
        var location = new Uri(http.BaseAddress!, started.Headers.Location!);
        var upload = new UriBuilder(location) { Query = location.Query.TrimStart('?') + "&digest=" + Uri.EscapeDataString(digest) }.Uri;
        await using var stream = File.OpenRead(file);
        using var content = new StreamContent(stream);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var put = await http.PutAsync(upload, content);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    private static async Task RawGetAsync(HttpClient http, string digest, string file)
    {
        using var response = await http.GetAsync(new Uri($"v2/bench/raw/blobs/{digest}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var target = File.Create(file);
        await response.Content.CopyToAsync(target);
    }

    private static async Task<double> TimeAsync(Func<Task> work)
    {
        var start = TimeProvider.System.GetTimestamp();
        await work();
        return TimeProvider.System.GetElapsedTime(start).TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
