using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;
using Xunit.Abstractions;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// Benchmark (reports, never asserts a time): from the registry's index-push notification being posted to the
/// activation's start, per push, warm after the first. Run: dotnet test --filter Category=Benchmark.
/// With POLYARCH_BENCH_P7_JSON=FILE the samples are also written there as JSON (scripts/bench.sh reads it).
/// </summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class PushToActivationBenchmark(TriggersFixture fixture, ITestOutputHelper output) : IDisposable
{
    private const int Samples = 15;
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-bench-").FullName;
    private readonly string _instance = $"t{TestRun.Id}-bench";

    [Fact]
    public async Task Index_push_event_to_activation_start()
    {
        // The spans of the first two pushes (the webhook, the registry's HTTP requests, firing, placement, activation), each
        // as its start and end after the event was posted: where the first push's time goes (issue 18, P7).
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Polyarch.Invoker" or "System.Net.Http" or "Experimental.System.Net.Http.Connections" or "Experimental.System.Net.NameResolution",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var server = await TriggerServer.StartAsync(_state, _instance, fixture.Registry);
        var rule = await server.Http.PutAsJsonAsync("/v1/rules/bench", new { repository = "demo/echo", tag = "bench-*", platforms = new[] { "linux/amd64" } });
        rule.StatusCode.ShouldBe(HttpStatusCode.OK);
        var latencies = new List<double>();
        for (var i = 0; i < Samples; i++)
        {
            // A new index digest per sample (the rule fires once per digest): the echo index with one annotation more.
            var tag = $"bench-{i}";
            var digest = await PushVariantIndexAsync(tag, i);
            var envelope = IndexPushEnvelope(fixture.Registry, tag, digest);
            spans.Clear();
            var posted = TimeProvider.System.GetUtcNow();
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
            ActivationRecord? record = null;
            var clock = Stopwatch.StartNew();
            while (record is null && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                await Task.Delay(20);
                var firing = (await server.FiringsAsync()).FirstOrDefault(f => f.Digest == digest.ToString());
                if (firing is not null)
                {
                    record = await server.Services.GetRequiredService<IActivationStore>().GetAsync(firing.Activations[0].ActivationId, CancellationToken.None);
                }
            }

            record.ShouldNotBeNull($"no activation for push {i}");
            record.Status.ShouldBe("success");
            latencies.Add((record.Start - posted).TotalMilliseconds);
            if (i < 2)
            {
                WriteSpans(i, posted, spans);
            }
        }

        var sorted = latencies.Order().ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"index push event → activation start over {Samples} pushes (linux/amd64, echo): first {latencies[0]:F0} ms, p50 {sorted[Samples / 2]:F0} ms, p90 {sorted[(int)(Samples * 0.9)]:F0} ms, max {sorted[^1]:F0} ms"));
        output.WriteLine("all: " + string.Join(", ", latencies.Select(l => l.ToString("F0", CultureInfo.InvariantCulture))));
        if (Environment.GetEnvironmentVariable("POLYARCH_BENCH_P7_JSON") is { Length: > 0 } jsonFile)
        {
            // The first push is the cold one (a new container); the rest start on a warm container.
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["unit"] = "ms",
                ["platform"] = "linux/amd64",
                ["samplesMs"] = new System.Text.Json.Nodes.JsonArray([.. latencies.Select(l => (System.Text.Json.Nodes.JsonNode)l)]),
            };
            await File.WriteAllTextAsync(jsonFile, json.ToJsonString());
        }
    }

    private void WriteSpans(int sample, DateTimeOffset posted, IEnumerable<Activity> spans)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"spans of push {sample} (ms after the event was posted: start → end, duration):"));
        foreach (var span in spans.Where(s => s.StartTimeUtc >= posted.UtcDateTime.AddSeconds(-1)).OrderBy(s => s.StartTimeUtc))
        {
            var from = (span.StartTimeUtc - posted.UtcDateTime).TotalMilliseconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {from,8:F1} → {from + span.Duration.TotalMilliseconds,8:F1} ({span.Duration.TotalMilliseconds,7:F1})  {span.Source.Name}: {span.DisplayName} {span.GetTagItem("url.full") ?? span.GetTagItem("polyarch.image") ?? ""}"));
        }
    }

    public void Dispose()
    {
        var janitor = new DockerJanitor(
            new DockerClientProvider(Microsoft.Extensions.Options.Options.Create(new DockerBackendOptions())),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DockerJanitor>.Instance);
        janitor.RemoveInstanceLeftoversAsync(_instance, CancellationToken.None).GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    private static string IndexPushEnvelope(string registry, string tag, Digest digest) => $$$"""
        {"events":[{"id":"{{{Guid.NewGuid()}}}","timestamp":"2026-11-26T14:51:46Z","action":"push",
          "target":{"mediaType":"application/vnd.oci.image.index.v1+json","size":1,"digest":"{{{digest}}}","repository":"demo/echo",
            "url":"http://{{{registry}}}/v2/demo/echo/manifests/{{{digest}}}","tag":"{{{tag}}}"},
          "request":{"id":"r","addr":"127.0.0.1:1","host":"{{{registry}}}","method":"PUT","useragent":"bench"}}]}
        """;

    private async Task<Digest> PushVariantIndexAsync(string tag, int sample)
    {
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            var json = System.Text.Json.Nodes.JsonNode.Parse(manifest.Content.Span)!.AsObject();
            var annotations = json["annotations"] as System.Text.Json.Nodes.JsonObject ?? [];
            annotations["io.polyarch.bench.sample"] = $"{TestRun.Id}-{sample}";
            json["annotations"] = annotations;
            var bytes = System.Text.Encoding.UTF8.GetBytes(json.ToJsonString());
            return await client.PutManifestAsync(source.WithTag(tag), bytes, manifest.MediaType);
        }
    }
}
