using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// distribution posts a manifest's push event before it links the tag: the invoker may ask for the tag in between and
/// get 404. Here a proxy in front of the real registry answers 404 for the tag, and reconciliation is an hour away, so
/// only the webhook's push can fire the rule.
/// </summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PushBeforeTagTests(TriggersFixture fixture) : IAsyncLifetime
{
    private static int _counter;
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-push-before-tag-").FullName;
    private readonly int _n = Interlocked.Increment(ref _counter);
    private RegistryProxy _proxy = null!;

    private string Instance => $"t{TestRun.Id}-pbt{_n}";

    private string Tag => $"race-{TestRun.Id}-{_n}";

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        _proxy = await RegistryProxy.StartAsync(fixture.Registry);
    }

    public async Task DisposeAsync()
    {
        var janitor = new DockerJanitor(
            new DockerClientProvider(Microsoft.Extensions.Options.Options.Create(new DockerBackendOptions())),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DockerJanitor>.Instance);
        await janitor.RemoveInstanceLeftoversAsync(Instance, CancellationToken.None);
        await Engine.RemoveImagesFromAsync(_proxy.Address);
        await _proxy.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Push_WhoseTagIsUnknownForItsFirstLookups_FiresOnce_Promptly_WithoutReconciliation()
    {
        await using var server = await StartWithRuleAsync();
        _proxy.HideTag("demo/echo", Tag, answers: 3);

        var (digest, elapsed) = await PushAndWaitForTheFiringAsync(server);

        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30));
        _proxy.HeadsOf("demo/echo", Tag).ShouldBeGreaterThanOrEqualTo(4, "the invoker did not ask for the tag again after its 404s");
        await server.WaitUntilQuietAsync();
        var firing = (await server.FiringsAsync()).ShouldHaveSingleItem();
        firing.Digest.ShouldBe(digest);
        firing.Repository.ShouldBe($"{_proxy.Address}/demo/echo");
        var activation = (await server.ActivationsAsync()).ShouldHaveSingleItem();
        activation.Status.ShouldBe("success");
        activation.IndexDigest.ShouldBe(digest);
    }

    [Fact]
    public async Task Push_WhoseTagNeverAppears_FiresForTheDigestItsEventNames_AfterMissingTagWait()
    {
        await using var server = await StartWithRuleAsync();
        _proxy.HideTag("demo/echo", Tag, answers: int.MaxValue);

        var (digest, _) = await PushAndWaitForTheFiringAsync(server);

        _proxy.HeadsOf("demo/echo", Tag).ShouldBeGreaterThanOrEqualTo(2, "the invoker did not ask for the tag again after its 404");
        await server.WaitUntilQuietAsync();
        (await server.FiringsAsync()).ShouldHaveSingleItem().Digest.ShouldBe(digest);
        (await server.ActivationsAsync()).ShouldHaveSingleItem().Status.ShouldBe("success");
    }

    [Fact]
    public async Task Push_WhoseTagIsUnknownAtFirst_ThenNamesAnotherDigest_IsSuperseded_AndNeverFires()
    {
        await using var server = await StartWithRuleAsync();
        _proxy.HideTag("demo/echo", Tag, answers: 1);

        // The event names the amd64 child while the tag, once linked, names the index: a later push replaced it.
        await TagAndPostAsync(server, image => image.Variants.First(v => v.Platform == "linux/amd64").Digest);
        await server.WaitUntilQuietAsync();

        _proxy.HeadsOf("demo/echo", Tag).ShouldBeGreaterThanOrEqualTo(2, "the invoker did not ask for the tag again after its 404");
        (await server.FiringsAsync()).ShouldBeEmpty();
        (await server.ActivationsAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pushed_index_is_resolved_while_its_tag_is_still_looked_up_not_after()
    {
        await using var server = await StartWithRuleAsync();
        _proxy.HideTag("demo/echo", Tag, answers: 4);

        var (digest, _) = await PushAndWaitForTheFiringAsync(server);

        // The tag answers only its 5th HEAD (after 50 + 100 + 200 + 400 ms); the index by digest does not depend on it. Before,
        // the index was read only after the tag's HEAD answered: on a repository's first push, its whole cold resolution sat
        // behind the tag look-up (P7, issue 18).
        var requests = _proxy.Requests.ToList();
        var lastHead = requests.FindLastIndex(r => r == $"HEAD /v2/demo/echo/manifests/{Tag}");
        var firstRead = requests.FindIndex(r => r.Contains($"/v2/demo/echo/manifests/{digest}", StringComparison.Ordinal));
        lastHead.ShouldBeGreaterThanOrEqualTo(4, string.Join(Environment.NewLine, requests));
        firstRead.ShouldBeGreaterThanOrEqualTo(0, string.Join(Environment.NewLine, requests));
        firstRead.ShouldBeLessThan(lastHead, $"the index was read only after its tag's HEAD answered:{Environment.NewLine}{string.Join(Environment.NewLine, requests)}");
        (await server.FiringsAsync()).ShouldHaveSingleItem().Digest.ShouldBe(digest);
    }

    /// <summary>
    /// A rule for the tag on the proxy's registry, created by an earlier run on the same state, then the invoker that
    /// takes the push — started once its start-up reconciliation has looked at the repository (before the tag exists).
    /// </summary>
    private async Task<TriggerServer> StartWithRuleAsync()
    {
        await using (var first = await StartAsync())
        {
            var response = await first.Http.PutAsJsonAsync("/v1/rules/race", new { repository = $"{_proxy.Address}/demo/echo", tag = Tag, platforms = new[] { "linux/amd64" } });
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        var listed = _proxy.Requests.Count(IsTagList);
        var server = await StartAsync();
        for (var i = 0; i < 300 && _proxy.Requests.Count(IsTagList) == listed; i++)
        {
            await Task.Delay(100);
        }

        _proxy.Requests.Count(IsTagList).ShouldBeGreaterThan(listed, "the start-up reconciliation did not list the repository's tags");
        return server;

        static bool IsTagList(string request) => request.StartsWith("GET /v2/demo/echo/tags/list", StringComparison.Ordinal);
    }

    /// <summary>Tags the echo index, posts the burst for it and waits (up to 30 s) for the firing; returns the digest and how long it took.</summary>
    private async Task<(string Digest, TimeSpan Elapsed)> PushAndWaitForTheFiringAsync(TriggerServer server)
    {
        var clock = Stopwatch.StartNew();
        var digest = await TagAndPostAsync(server, image => image.IndexDigest);
        for (var i = 0; i < 300 && (await server.FiringsAsync()).Count == 0; i++)
        {
            await Task.Delay(100);
        }

        var elapsed = clock.Elapsed;
        (await server.FiringsAsync()).ShouldNotBeEmpty($"the rule did not fire within {elapsed} of the push (pushes: {string.Join(", ", (await server.Services.GetRequiredService<PushStore>().ListAsync(10, CancellationToken.None)).Select(p => $"{p.Push.Tag}@{p.Push.Digest}"))})");
        return (digest, elapsed);
    }

    /// <summary>
    /// Tags the echo index in the real registry, then posts the recorded burst as the proxy's registry, its index push
    /// naming the digest <paramref name="eventDigest"/> picks; returns that digest.
    /// </summary>
    private async Task<string> TagAndPostAsync(TriggerServer server, Func<ImageVariants, string> eventDigest)
    {
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            await client.PutManifestAsync(source.WithTag(Tag), manifest.Content, manifest.MediaType);
        }

        var digest = eventDigest(await server.Services.GetRequiredService<IVariantCatalog>().GetAsync(fixture.EchoImage, CancellationToken.None));
        foreach (var envelope in NotificationBurst.Envelopes(_proxy.Address, digest, Tag))
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        return digest;
    }

    private Task<TriggerServer> StartAsync() =>
        TriggerServer.StartAsync(_state, Instance, fixture.Registry, settings: ["--Triggers:ReconcileInterval=01:00:00", "--Triggers:MissingTagWait=00:00:01"]);
}
