using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RegistryWebhookTests(TriggersFixture fixture) : IAsyncLifetime
{
    private readonly TriggerTestHost _host = new(fixture, "trg");

    public Task InitializeAsync() => ContainerHost.EnsureUpAsync();

    public Task DisposeAsync() => _host.CleanUpAsync();

    [Fact]
    public async Task Burst_PostedAsTheRegistryPostsIt_FiresOncePerMatchingRule_AndTheSameBurstAgainFiresNothing()
    {
        await using var server = await StartAsync();
        var burst = await BurstAsync(server);
        await server.PutRuleAsync("echo-all", new { repository = "demo/echo", tag = "v*", platforms = new[] { "all" }, @params = new { x = 1 } });
        await server.PutRuleAsync("echo-arm", new { repository = $"{fixture.Registry}/demo/*", tag = "*", platforms = new[] { "linux/arm64" } });
        await server.PutRuleAsync("other-repo", new { repository = "demo/other", tag = "*", platforms = new[] { "all" } });
        await server.PutRuleAsync("other-tag", new { repository = "demo/echo", tag = "latest", platforms = new[] { "all" } });

        foreach (var envelope in burst)
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        var firings = await server.FiringsAsync();
        firings.Select(f => f.Rule).Order().ShouldBe(["echo-all", "echo-arm"]);
        var activations = await server.ActivationsAsync();
        activations.Count.ShouldBe(4);
        activations.ShouldAllBe(a => a.Status == "success");
        activations.Select(a => a.Platform).Order().ShouldBe(["linux/amd64", "linux/arm64", "linux/arm64", "linux/ppc64le"]);
        var echoed = activations.First(a => a.Platform == "linux/ppc64le").Result!["params"]!;
        echoed["x"]!.GetValue<int>().ShouldBe(1);
        echoed["repository"]!.GetValue<string>().ShouldBe("demo/echo");
        echoed["tag"]!.GetValue<string>().ShouldBe("v2");
        echoed["indexDigest"]!.GetValue<string>().ShouldBe(activations[0].IndexDigest);

        foreach (var envelope in burst)
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        (await server.FiringsAsync()).Count.ShouldBe(2);
        (await server.ActivationsAsync()).Count.ShouldBe(4);
    }

    [Fact]
    public async Task RuleFiring_ThatCannotBePlaced_LeavesARecordWithTheWhyNotTable()
    {
        await using var server = await StartAsync();
        var burst = await BurstAsync(server);
        var action = await server.Http.PutAsJsonAsync("/v1/actions/echo-native-only", new { image = fixture.EchoImage, placement = new { allowEmulation = false } });
        action.StatusCode.ShouldBe(HttpStatusCode.OK, await action.Content.ReadAsStringAsync());
        await server.PutRuleAsync("echo-ppc", new { repository = "demo/echo", tag = "v*", action = "echo-native-only", platforms = new[] { "linux/ppc64le" } });

        foreach (var envelope in burst)
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        var firing = (await server.FiringsAsync()).ShouldHaveSingleItem();
        var id = firing.Activations.ShouldHaveSingleItem().ActivationId;
        var response = await server.Http.GetAsync($"/v1/activations/{id}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var record = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!;
        record["status"]!.GetValue<string>().ShouldBe("action developer error");
        record["platform"]!.GetValue<string>().ShouldBe("linux/ppc64le");
        var result = record["result"]!;
        result["reason"]!.GetValue<string>().ShouldBe("placement-failed");
        // Every variant of the index is a row: the other two were not the platform the rule asked for.
        var candidates = result["candidates"]!.AsArray();
        candidates.Select(c => c!["variant"]!.GetValue<string>()).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        var candidate = candidates.Single(c => c!["variant"]!.GetValue<string>() == "linux/ppc64le")!;
        candidate["target"]!.GetValue<string>().ShouldBe("linux/ppc64le (emulated)");
        candidate["reason"]!.GetValue<string>().ShouldContain("does not allow emulation");
    }

    [Fact]
    public async Task BuilderStagingPush_NeverFires_TheVerifiedTagAfterwardsDoes()
    {
        await using var server = await StartAsync();
        await server.PutRuleAsync("every-tag", new { repository = "demo/echo", tag = "*", platforms = new[] { "linux/amd64" } });
        var staging = $"polyarch-build-{TestRun.Id}";
        await _host.TagEchoAsync(staging);
        var image = await server.Services.GetRequiredService<IVariantCatalog>().GetAsync(fixture.EchoImage, CancellationToken.None);

        // What the registry posts while polyarch-builder pushes a build to its staging tag: nothing fires.
        foreach (var envelope in NotificationBurst.Envelopes(fixture.Registry, image.IndexDigest, staging))
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        (await server.FiringsAsync()).ShouldBeEmpty();

        // The builder verified the index and moved the real tag by a manifest PUT: that fires, once, for that tag.
        await _host.TagEchoAsync("v2");
        foreach (var envelope in NotificationBurst.Envelopes(fixture.Registry, image.IndexDigest))
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        (await server.FiringsAsync()).Single().Rule.ShouldBe("every-tag");
        var activation = (await server.ActivationsAsync()).Single();
        activation.Result!["params"]!["tag"]!.GetValue<string>().ShouldBe("v2");
    }

    [Fact]
    public async Task Push_NamingARegistryTheInvokerIsNotConfiguredFor_IsIgnored_AndThatServerIsNeverCalled()
    {
        // Another server on this machine (here a pass-through to the same registry, so that it could answer) that no
        // rule names and that is not Triggers:DefaultRegistry: a notification naming it as its request.host must not
        // make the invoker call it, even for a rule whose pattern names no registry.
        await using var elsewhere = await RegistryProxy.StartAsync(fixture.Registry);
        await using var server = await StartAsync();
        await _host.TagEchoAsync("v2");
        var image = await server.Services.GetRequiredService<IVariantCatalog>().GetAsync(fixture.EchoImage, CancellationToken.None);
        await server.PutRuleAsync("any-registry", new { repository = "demo/echo", tag = "*", platforms = new[] { "linux/amd64" } });

        var answers = new List<System.Text.Json.Nodes.JsonNode>();
        foreach (var envelope in NotificationBurst.Envelopes(elsewhere.Address, image.IndexDigest))
        {
            var response = await server.PostEnvelopeAsync(envelope);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            answers.Add((await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!);
        }

        await server.WaitUntilQuietAsync();
        answers.Sum(a => a["accepted"]!.GetValue<int>()).ShouldBe(0);
        answers.Sum(a => a["ignored"]!.GetValue<int>()).ShouldBeGreaterThan(0);
        (await server.Services.GetRequiredService<PushStore>().ListAsync(100, CancellationToken.None)).ShouldBeEmpty();
        (await server.FiringsAsync()).ShouldBeEmpty();
        elsewhere.Requests.ShouldBeEmpty();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData("")]
    public async Task Webhook_WithoutOrWithAWrongToken_Is401_AndStoresNothing(string? token)
    {
        await using var server = await StartAsync();
        var burst = await BurstAsync(server);

        var response = await server.PostEnvelopeAsync(burst[^1], token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await server.Services.GetRequiredService<PushStore>().ListAsync(100, CancellationToken.None)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("{", "application/vnd.docker.distribution.events.v1+json")]
    [InlineData("{\"nothing\": []}", "application/vnd.docker.distribution.events.v2+json")]
    [InlineData("{\"events\": [{\"action\": \"push\"}]}", "application/vnd.docker.distribution.events.v1+json")]
    [InlineData("{\"events\": []}", "text/plain")]
    [InlineData("{\"events\": [{\"action\": \"push\", \"target\": {\"repository\": \"a/b\", \"digest\": \"sha256:nothex\"}}]}", "application/json")]
    public async Task Webhook_MalformedEnvelope_Is400_AndStoresNothing(string body, string mediaType)
    {
        await using var server = await StartAsync();

        var response = await server.PostEnvelopeAsync(body, mediaType: mediaType);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await server.Services.GetRequiredService<PushStore>().ListAsync(100, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Invoker_StoppedAfterAcceptingTheBurst_RunsTheActivationsOnceAfterARestart()
    {
        IReadOnlyList<string> burst;
        await using (var standby = await StartAsync(processPushes: false))
        {
            burst = await BurstAsync(standby);
            await standby.PutRuleAsync("echo-all", new { repository = "demo/echo", tag = "v2", platforms = new[] { "all" } });
            foreach (var envelope in burst)
            {
                (await standby.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            var pending = await standby.Services.GetRequiredService<PushStore>().PendingAsync(100, CancellationToken.None);
            pending.Count(p => MediaTypes.IsIndex(p.Push.MediaType)).ShouldBe(1);
        }

        await using (var restarted = await StartAsync())
        {
            await restarted.WaitUntilQuietAsync();
            (await restarted.FiringsAsync()).Count.ShouldBe(1);
            (await restarted.ActivationsAsync()).Count.ShouldBe(3);
        }

        await using var again = await StartAsync();
        await again.WaitUntilQuietAsync();
        (await again.FiringsAsync()).Count.ShouldBe(1);
        (await again.ActivationsAsync()).Count.ShouldBe(3);
    }

    [Fact]
    public async Task Push_WhileTheInvokerIsDown_IsFoundByReconciliation_AndFiredOnce()
    {
        var tag = $"recon-{TestRun.Id}";
        await using (var first = await StartAsync())
        {
            await first.PutRuleAsync("recon", new { repository = "demo/echo", tag = "recon-*", platforms = new[] { "linux/amd64" } });
        }

        // The push happens while no invoker listens: the registry's notification is lost.
        await _host.TagEchoAsync(tag);

        await using (var restarted = await StartAsync())
        {
            await WaitForAsync(async () => (await restarted.FiringsAsync()).Count > 0);
            await restarted.WaitUntilQuietAsync();
            (await restarted.Services.GetRequiredService<Reconciler>().ReconcileAsync(CancellationToken.None)).ShouldBe(0);
            (await restarted.FiringsAsync()).Single().Repository.ShouldBe($"{fixture.Registry}/demo/echo");
            (await restarted.ActivationsAsync()).Single().Status.ShouldBe("success");
        }

        await using var again = await StartAsync();
        await again.WaitUntilQuietAsync();
        (await again.Services.GetRequiredService<Reconciler>().ReconcileAsync(CancellationToken.None)).ShouldBe(0);
        (await again.ActivationsAsync()).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Push_WhileTheInvokerIsDown_ToARepositoryAGlobRuleMatches_IsFoundInTheCatalog_AndFiredOnce()
    {
        var tag = $"globrecon-{TestRun.Id}";
        await using (var first = await StartAsync())
        {
            await first.PutRuleAsync("glob-recon", new { repository = "demo/ech*", tag = "globrecon-*", platforms = new[] { "linux/amd64" } });
        }

        await _host.TagEchoAsync(tag);

        await using var restarted = await StartAsync();
        await WaitForAsync(async () => (await restarted.FiringsAsync()).Count > 0);
        await restarted.WaitUntilQuietAsync();
        (await restarted.Services.GetRequiredService<Reconciler>().ReconcileAsync(CancellationToken.None)).ShouldBe(0);
        (await restarted.FiringsAsync()).Single().Repository.ShouldBe($"{fixture.Registry}/demo/echo");
        var activation = (await restarted.ActivationsAsync()).Single();
        activation.Result!["params"]!["tag"]!.GetValue<string>().ShouldBe(tag);
    }

    [Fact]
    public async Task A_firing_joins_the_trace_of_the_build_that_pushed_the_index_through_placement_activation_and_run()
    {
        // What the builder writes into every index it pushes (builder/Polyarch.Builder/README.md, "Traces").
        var build = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var spans = new List<Activity>();
        using var tracer = OpenTelemetry.Sdk.CreateTracerProviderBuilder().SetSampler(new AlwaysOnSampler())
            .AddSource("Polyarch.Invoker").AddInMemoryExporter(spans).Build();
        await using var server = await StartAsync();
        var digest = await PushTracedEchoAsync("v2", $"00-{build.TraceId}-{build.SpanId}-01");
        await server.PutRuleAsync("traced", new { repository = "demo/echo", tag = "v*", platforms = new[] { "linux/amd64" } });

        foreach (var envelope in NotificationBurst.Envelopes(fixture.Registry, digest))
        {
            (await server.PostEnvelopeAsync(envelope)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await server.WaitUntilQuietAsync();
        (await server.ActivationsAsync()).ShouldHaveSingleItem().Status.ShouldBe("success");
        List<Activity> trace;
        lock (spans)
        {
            trace = [.. spans.Where(s => s.TraceId == build.TraceId)];
        }

        var firing = trace.Single(s => s.DisplayName == "firing");
        firing.ParentSpanId.ShouldBe(build.SpanId);
        var invoke = trace.Single(s => s.DisplayName == "invoke");
        invoke.ParentSpanId.ShouldBe(firing.SpanId);
        trace.Single(s => s.DisplayName == "placement").ParentSpanId.ShouldBe(invoke.SpanId);
        var activation = trace.Single(s => s.DisplayName == "activation");
        activation.ParentSpanId.ShouldBe(invoke.SpanId);
        activation.GetTagItem("polyarch.platform").ShouldBe("linux/amd64");
        trace.Single(s => s.DisplayName == "run").ParentSpanId.ShouldBe(activation.SpanId);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 600 && !await condition(); i++)
        {
            await Task.Delay(200);
        }

        (await condition()).ShouldBeTrue("the condition did not hold within 2 minutes");
    }

    private Task<TriggerServer> StartAsync(bool processPushes = true) => _host.StartAsync(processPushes);

    /// <summary>Points another tag of the echo repository at the echo index (a push as the registry sees it).</summary>
    /// <summary>Tags a copy of the echo index that carries the build's traceparent, as the builder pushes it; returns its digest.</summary>
    private async Task<string> PushTracedEchoAsync(string tag, string traceParent)
    {
        var services = new ServiceCollection().AddLogging().AddPolyarchRegistry().BuildServiceProvider();
        await using (services)
        {
            var client = services.GetRequiredService<IRegistryClient>();
            var source = ImageReference.Parse(fixture.EchoImage);
            var manifest = (await client.GetManifestAsync(source))!;
            var annotated = Polyarch.Registry.Indexes.PlacementAnnotator.Annotate(
                manifest.Content.Span, new Dictionary<Digest, Polyarch.Registry.Placement.PlacementHints>(), source.ToString(),
                new Dictionary<string, string> { [Polyarch.Registry.Indexes.TraceAnnotations.TraceParent] = traceParent });
            return (await client.PutManifestAsync(source.WithTag(tag), annotated, manifest.MediaType)).ToString();
        }
    }

    private async Task<IReadOnlyList<string>> BurstAsync(TriggerServer server)
    {
        // The recorded burst pushed demo/echo:v2; the tag must point at the index the rewritten burst names.
        await _host.TagEchoAsync("v2");
        var image = await server.Services.GetRequiredService<IVariantCatalog>().GetAsync(fixture.EchoImage, CancellationToken.None);
        return NotificationBurst.Envelopes(fixture.Registry, image.IndexDigest);
    }
}
