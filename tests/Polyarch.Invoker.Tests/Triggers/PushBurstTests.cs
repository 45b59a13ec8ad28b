using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// A burst of pushes (issue 18, P10): the engine tags every child of a multi-platform push with the index's tag, so a
/// burst stores many image-manifest pushes that must settle (Triggers:ManifestSettleDelay) between the index pushes that
/// matter; and a burst is larger than one claim batch (20).
/// </summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PushBurstTests(TriggersFixture fixture) : IDisposable
{
    private const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    private const string OciIndex = "application/vnd.oci.image.index.v1+json";
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-burst-").FullName;
    private readonly string _instance = $"t{TestRun.Id}-burst";

    [Fact]
    public async Task An_index_push_behind_a_batch_of_unsettled_manifest_pushes_fires_without_waiting_for_them_to_settle()
    {
        await using var server = await TriggerServer.StartAsync(_state, _instance, fixture.Registry, settings: ["--Triggers:ManifestSettleDelay=00:00:30"]);
        await RuleAsync(server, "hol-*");
        var digest = await PushVariantIndexAsync("hol-index");

        // 25 child-manifest pushes (more than one claim batch), each waiting 30 s to settle, then the index push.
        foreach (var i in Enumerable.Range(0, 25))
        {
            (await server.PostEnvelopeAsync(Envelope((OciManifest, $"hol-child-{i}", RandomDigest())))).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        (await server.PostEnvelopeAsync(Envelope((OciIndex, "hol-index", digest.ToString())))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Before, the oldest 20 pending pushes were claimed, found unsettled and released, pass after pass: the index
        // behind them waited the 30 s of the children ahead.
        // 25 s: a loaded machine's margin, still short of the 30 s the index waited before.
        (await FiredWithinAsync(server, digest, TimeSpan.FromSeconds(25))).ShouldBeTrue("the index push should fire while the manifest pushes ahead of it settle");
    }

    [Fact]
    public async Task A_burst_larger_than_a_claim_batch_is_processed_in_one_pass_not_one_batch_per_poll()
    {
        // One notification, so one wake-up; the next poll is a minute away.
        await using var server = await TriggerServer.StartAsync(_state, _instance, fixture.Registry, settings: ["--Triggers:PollInterval=00:01:00"]);
        await RuleAsync(server, "drain-*");
        var digest = await PushVariantIndexAsync("drain-index");

        // 45 pushes of the builder's staging tag (ignored at once, no registry call), then the index push, in one envelope.
        var events = Enumerable.Range(0, 45).Select(i => (OciIndex, $"polyarch-build-{i}", RandomDigest()))
            .Append((OciIndex, "drain-index", digest.ToString())).ToArray();
        (await server.PostEnvelopeAsync(Envelope(events))).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Before, a pass took one batch of 20 and the rest waited for the next wake-up: here the poll, a minute later.
        // 40 s: a loaded machine's margin, still short of the minute the rest waited before.
        (await FiredWithinAsync(server, digest, TimeSpan.FromSeconds(40))).ShouldBeTrue("every due push of a burst should be processed in one pass");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    private static async Task RuleAsync(TriggerServer server, string tag)
    {
        var rule = await server.Http.PutAsJsonAsync($"/v1/rules/{tag.TrimEnd('*', '-')}", new { repository = "demo/echo", tag, platforms = new[] { "linux/amd64" } });
        rule.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<bool> FiredWithinAsync(TriggerServer server, Digest digest, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if ((await server.FiringsAsync()).Any(f => f.Digest == digest.ToString()))
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    private static string RandomDigest() => $"sha256:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";

    private string Envelope(params (string MediaType, string Tag, string Digest)[] events) =>
        "{\"events\":[" + string.Join(",", events.Select(e => $$$"""
            {"id":"{{{Guid.NewGuid()}}}","timestamp":"2026-11-26T14:51:46Z","action":"push",
             "target":{"mediaType":"{{{e.MediaType}}}","size":1,"digest":"{{{e.Digest}}}","repository":"demo/echo",
               "url":"http://{{{fixture.Registry}}}/v2/demo/echo/manifests/{{{e.Digest}}}","tag":"{{{e.Tag}}}"},
             "request":{"id":"r","addr":"127.0.0.1:1","host":"{{{fixture.Registry}}}","method":"PUT","useragent":"buildkit"}}
            """)) + "]}";

    /// <summary>The echo index with one annotation more under <paramref name="tag"/>: an index digest of its own.</summary>
    private async Task<Digest> PushVariantIndexAsync(string tag)
    {
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            var json = System.Text.Json.Nodes.JsonNode.Parse(manifest.Content.Span)!.AsObject();
            var annotations = json["annotations"] as System.Text.Json.Nodes.JsonObject ?? [];
            annotations["io.polyarch.test.burst"] = $"{TestRun.Id}-{tag}-{Guid.NewGuid():N}";
            json["annotations"] = annotations;
            return await client.PutManifestAsync(source.WithTag(tag), System.Text.Encoding.UTF8.GetBytes(json.ToJsonString()), manifest.MediaType);
        }
    }
}
