using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Telemetry;

/// <summary>
/// One push, one trace (builder/Polyarch.Builder/README.md, "Traces"): the webhook's span is the parent of the queued request, the stored
/// traceparent makes the queue wait and the build its children wherever the build runs, the build has checkout → bake
/// (a child per platform) → verify → tag, and the pushed index carries the build's traceparent for the invoker.
/// Collected with OpenTelemetry's in-memory exporter.
/// </summary>
[Collection(BuildCollection.Name)]
public sealed class BuildTraceTests(RegistryFixture registry)
{
    [Fact]
    public async Task A_webhook_push_stores_its_traceparent_with_the_build_under_the_webhooks_span()
    {
        using var tracer = Collect(out var spans);
        using var factory = new BuilderAppFactory();
        using var client = factory.CreateClient();

        using var response = await client.SendAsync(WebhookPayloads.GitHub(WebhookPayloads.GitHubPush()));
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["buildId"]!.GetValue<string>();
        var build = await client.GetFromJsonAsync<JsonObject>($"/v1/builds/{id}");
        var traceParent = ActivityContext.Parse(build!["request"]!["traceParent"]!.GetValue<string>(), null);

        var all = Snapshot(spans);
        var queued = all.Single(s => s.DisplayName == "queue build" && (string?)s.GetTagItem("polyarch.build.id") == id);
        var webhook = all.Single(s => s.DisplayName == "webhook" && s.SpanId == queued.ParentSpanId);
        webhook.TraceId.ShouldBe(queued.TraceId);
        webhook.GetTagItem("polyarch.webhook.provider").ShouldBe("github");
        traceParent.TraceId.ShouldBe(queued.TraceId);
        traceParent.SpanId.ShouldBe(queued.SpanId);
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_three_platform_build_is_one_trace_and_its_index_carries_the_builds_traceparent()
    {
        using var tracer = Collect(out var spans);
        using var repository = new TestGitRepository();
        repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo traced > /traced\n" });
        using var harness = new BuildHarness(registry.Address);

        var result = await harness.BuildAsync(repository.Path, "demo/traced");

        result.ExitCode.ShouldBe(0, result.Stderr);
        var id = result.Build["id"]!.GetValue<string>();
        var all = Snapshot(spans);
        var build = all.Single(s => s.DisplayName == "build" && (string?)s.GetTagItem("polyarch.build.id") == id);
        var trace = all.Where(s => s.TraceId == build.TraceId).ToList();
        var root = trace.Single(s => s.DisplayName == "queue build");
        build.ParentSpanId.ShouldBe(root.SpanId);
        trace.Single(s => s.DisplayName == "queued").ParentSpanId.ShouldBe(root.SpanId);
        foreach (var step in new[] { "checkout", "bake", "verify", "tag" })
        {
            trace.Single(s => s.DisplayName == step).ParentSpanId.ShouldBe(build.SpanId, step);
        }

        var bake = trace.Single(s => s.DisplayName == "bake");
        trace.Where(s => s.ParentSpanId == bake.SpanId).Select(s => s.DisplayName).Order()
            .ShouldBe(HostSettings.Platforms.Select(p => $"bake {p}").Order());

        var index = (await harness.Services.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{registry.Address}/demo/traced@{result.IndexDigest()}")))!;
        var annotation = JsonNode.Parse(index.Content.Span)!["annotations"]![TraceAnnotations.TraceParent]!.GetValue<string>();
        annotation.ShouldBe($"00-{build.TraceId}-{build.SpanId}-01");
    }

    /// <summary>A copy of what the exporter holds; other tests in the process may be adding spans meanwhile.</summary>
    private static List<Activity> Snapshot(List<Activity> spans)
    {
        while (true)
        {
            try
            {
                return [.. spans.ToArray()];
            }
            catch (ArgumentException)
            {
                // Resized while copied: copy again.
            }
        }
    }

    private static TracerProvider Collect(out List<Activity> spans)
    {
        spans = [];
        // AlwaysOn: the test host's own request activity is not sampled (no ASP.NET Core instrumentation here) and must not hide ours.
        return OpenTelemetry.Sdk.CreateTracerProviderBuilder().SetSampler(new AlwaysOnSampler()).AddSource("Polyarch.Builder").AddInMemoryExporter(spans).Build()!;
    }
}
