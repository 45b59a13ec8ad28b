using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Benchmarks.PushBurst;

/// <summary>
/// P10: a burst of index pushes replayed against a running `serve` with the webhook token. Each push is the registry's
/// real 53-envelope notification sequence of one 3-platform buildx push (distribution 2.8.2, the fixture in
/// tests/Polyarch.Registry.Tests/Fixtures: blob pushes and pulls, 6 child manifests pushed with the tag, the index twice),
/// rewritten to a repository and index digest of its own that exist in the registry; the pushes start evenly spread over
/// <c>seconds</c>. A rule runs the no-op action for each. Counted: firings (exactly one per push), duplicates, lost,
/// event (the index's first push envelope posted) → activation start. Baseline: the same, for single pushes one at a time.
/// </summary>
internal sealed class PushBurstBenchmark(string registry, string noopImage, int pushes, double seconds, int singles)
{
    private const string Token = "bench-webhook-token-0123456789abcdef";
    private const string RecordedDigest = "sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe";
    private readonly string _instance = $"bench{Environment.ProcessId}-p10";
    private readonly string _repository = "polyarch-bench/burst";

    public async Task<JsonObject> RunAsync(CancellationToken cancellationToken)
    {
        var state = Directory.CreateTempSubdirectory("invoker-p10-").FullName;
        var recorded = RecordedEnvelopes();
        var app = ServeCommand.Build(
            [
                $"--Invoker:InstanceId={_instance}",
                $"--Invoker:StateDirectory={state}",
                $"--Docker:ExtraLabels:io.polyarch.benchmark={_instance}",
                $"--Triggers:WebhookToken={Token}",
                $"--Triggers:DefaultRegistry={registry}",
                "--Triggers:ReconcileInterval=01:00:00",
                "--WarmPool:MaxContainersPerKey=8",
                "--Service:RequireApiKey=false",
            ],
            "http://127.0.0.1:0");
        await app.StartAsync(cancellationToken);
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16, UseProxy = false }) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
            (await http.PutAsJsonAsync("/v1/actions/burst-noop", new { image = noopImage }, cancellationToken)).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync("/v1/rules/burst", new { repository = _repository, tag = "burst-*", action = "burst-noop", platforms = new[] { "linux/amd64" } }, cancellationToken)).EnsureSuccessStatusCode();

            Console.WriteLine($"P10: preparing {singles + pushes} index digests in {registry}/{_repository}");
            var digests = await PrepareIndexesAsync(singles + pushes, cancellationToken);
            var eventAt = new ConcurrentDictionary<string, DateTimeOffset>();
            var failures = 0;

            // Baseline: single pushes, each alone (its firing started before the next is posted).
            for (var i = 0; i < singles; i++)
            {
                await ReplayAsync(http, recorded, digests[i], eventAt, () => Interlocked.Increment(ref failures), cancellationToken);
                await WaitForFiringsAsync(app, i + 1, TimeSpan.FromMinutes(1), cancellationToken);
            }

            // The burst: push i starts at i × seconds / pushes; each sends its 53 envelopes in the recorded order.
            Console.WriteLine($"P10: {pushes} pushes × {recorded.Count} envelopes over {seconds} s");
            var clock = Stopwatch.GetTimestamp();
            var tasks = new List<Task>();
            for (var i = 0; i < pushes; i++)
            {
                var due = TimeSpan.FromSeconds(seconds * i / pushes) - Stopwatch.GetElapsedTime(clock);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken);
                }

                var digest = digests[singles + i];
                tasks.Add(Task.Run(() => ReplayAsync(http, recorded, digest, eventAt, () => Interlocked.Increment(ref failures), cancellationToken), cancellationToken));
            }

            await Task.WhenAll(tasks);
            var sent = Stopwatch.GetElapsedTime(clock).TotalSeconds;
            var expected = singles + pushes;
            var settled = await WaitForFiringsAsync(app, expected, TimeSpan.FromMinutes(10), cancellationToken);
            var drained = Stopwatch.GetElapsedTime(clock).TotalSeconds;
            await app.Services.GetRequiredService<FiringRunner>().WhenIdleAsync();
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken); // records are written off the invocation path

            var firings = (await app.Services.GetRequiredService<FiringStore>().ListAsync(cancellationToken)).Where(f => f.Rule == "burst").ToList();
            var store = app.Services.GetRequiredService<IActivationStore>();
            var byDigest = firings.GroupBy(f => f.Digest).ToDictionary(g => g.Key, g => g.Count());
            var single = new List<double>();
            var burst = new List<double>();
            var records = 0;
            foreach (var firing in firings)
            {
                foreach (var activation in firing.Activations)
                {
                    if (await store.GetAsync(activation.ActivationId, cancellationToken) is { } record && eventAt.TryGetValue(firing.Digest, out var at))
                    {
                        records++;
                        (digests.IndexOf(firing.Digest) < singles ? single : burst).Add((record.Start - at).TotalMilliseconds);
                    }
                }
            }

            var lost = digests.Count(d => !byDigest.ContainsKey(d));
            var duplicates = byDigest.Values.Sum(c => c - 1) + Math.Max(0, records - firings.Count);
            var burstP = Percentiles.Of(burst);
            var singleP = Percentiles.Of(single);
            Console.WriteLine($"P10: sent in {sent:F1} s, all fired after {drained:F1} s ({(settled ? "settled" : "NOT settled")}); firings {firings.Count}/{expected}, lost {lost}, duplicates {duplicates}, webhook failures {failures}");
            Console.WriteLine($"P10: event → start, burst {burstP}; single pushes {singleP}");
            return new JsonObject
            {
                ["pushes"] = pushes,
                ["singles"] = singles,
                ["envelopesPerPush"] = recorded.Count,
                ["seconds"] = seconds,
                ["sentSeconds"] = sent,
                ["drainedSeconds"] = drained,
                ["firings"] = firings.Count,
                ["expectedFirings"] = expected,
                ["lost"] = lost,
                ["duplicates"] = duplicates,
                ["activationRecords"] = records,
                ["webhookFailures"] = failures,
                ["eventToStart"] = burstP.ToJson(),
                ["singleEventToStart"] = singleP.ToJson(),
            };
        }
        finally
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(state, recursive: true);
        }
    }

    /// <summary>Posts one push's envelopes in order; the event time is when its first index-push envelope is posted.</summary>
    private async Task ReplayAsync(HttpClient http, IReadOnlyList<string> recorded, string digest, ConcurrentDictionary<string, DateTimeOffset> eventAt, Action failed, CancellationToken cancellationToken)
    {
        var tag = $"burst-{digest[7..19]}";
        foreach (var template in recorded)
        {
            var json = template.Replace(RecordedDigest, digest, StringComparison.Ordinal)
                .Replace("\"tag\": \"v2\"", $"\"tag\": \"{tag}\"", StringComparison.Ordinal)
                .Replace("demo/echo", _repository, StringComparison.Ordinal)
                .Replace("127.0.0.1:5000", registry, StringComparison.Ordinal);
            if (json.Contains("\"action\": \"push\"", StringComparison.Ordinal) && json.Contains(digest, StringComparison.Ordinal))
            {
                eventAt.TryAdd(digest, TimeProvider.System.GetUtcNow());
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/hooks/registry") { Content = new StringContent(json, Encoding.UTF8) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.docker.distribution.events.v1+json");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    failed();
                }
            }
            catch (HttpRequestException)
            {
                failed();
            }
        }
    }

    private static async Task<bool> WaitForFiringsAsync(WebApplication app, int count, TimeSpan limit, CancellationToken cancellationToken)
    {
        var store = app.Services.GetRequiredService<FiringStore>();
        var clock = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(clock) < limit)
        {
            if ((await store.ListAsync(cancellationToken)).Count(f => f.Rule == "burst") >= count)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        return false;
    }

    /// <summary>The echo index copied into the bench repository, then one variant per push (an annotation more: a digest of its own) under its tag.</summary>
    private async Task<List<string>> PrepareIndexesAsync(int count, CancellationToken cancellationToken)
    {
        var baseImage = $"{registry}/{_repository}:base";
        var copy = await Cli.Wrap("/usr/bin/docker")
            .WithArguments(["buildx", "imagetools", "create", "-t", baseImage, "--", $"{registry}/demo/echo:latest"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken);
        if (copy.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker buildx imagetools create {baseImage} failed ({copy.ExitCode}): {copy.StandardError}");
        }

        await using var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        var client = services.GetRequiredService<IRegistryClient>();
        var source = ImageReference.Parse(baseImage);
        var manifest = (await client.GetManifestAsync(source, cancellationToken))!;
        var digests = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var json = JsonNode.Parse(manifest.Content.Span)!.AsObject();
            json["annotations"] = new JsonObject { ["io.polyarch.bench.p10"] = $"{_instance}-{i}-{Guid.NewGuid():N}" };
            var bytes = Encoding.UTF8.GetBytes(json.ToJsonString());
            var digest = Digest.Compute(bytes).ToString();
            var pushed = await client.PutManifestAsync(source.WithTag($"burst-{digest[7..19]}"), bytes, manifest.MediaType, ct);
            digests[i] = pushed.ToString();
        });
        return [.. digests];
    }

    private static List<string> RecordedEnvelopes()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "registry-notifications", "distribution-2.8.2-buildx-multiarch-push");
        return [.. Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
    }
}
