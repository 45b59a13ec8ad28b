using Microsoft.Extensions.Logging.Abstractions;
using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>
/// A just-started `serve` takes a build's registry path once, in memory, before its first build (issue 18, P5): the real
/// publisher verifies, annotates and tags an index and removes its staging tag, every request answered by the in-memory
/// registry — none leaves the process.
/// </summary>
public sealed class PublishingWarmUpTests
{
    [Fact]
    public async Task The_warm_up_runs_verify_annotate_tag_and_the_staging_tag_removal_in_memory()
    {
        var registry = await PublishingWarmUp.RunAsync(NullLoggerFactory.Instance, TimeProvider.System, CancellationToken.None);

        var requests = registry.Requests.ToList();
        requests.ShouldContain("GET /v2/polyarch/reachability-probe/tags/list", "the reachability probe every build starts with");
        requests.Count(r => r.StartsWith("GET /v2/polyarch/warm-up/manifests/sha256:", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(3, "the index and its two images, read back");
        requests.Count(r => r.StartsWith("GET /v2/polyarch/warm-up/blobs/sha256:", StringComparison.Ordinal)).ShouldBeGreaterThanOrEqualTo(2, "both configs");
        requests.ShouldContain("PUT /v2/polyarch/warm-up/manifests/polyarch-build-warm-up", "the annotated index under the staging tag");
        requests.ShouldContain("PUT /v2/polyarch/warm-up/manifests/latest");
        requests.ShouldContain("HEAD /v2/polyarch/warm-up/manifests/latest");
        requests.ShouldContain("POST /v2/polyarch/warm-up/blobs/uploads/", "the staging tag's placeholder needs the empty blob");
        requests.Count(r => r.StartsWith("DELETE /v2/polyarch/warm-up/manifests/sha256:", StringComparison.Ordinal)).ShouldBe(2, "the deletes probe, then the placeholder");
    }

    [Fact]
    public async Task The_in_memory_registry_answers_like_distribution()
    {
        using var registry = new WarmUpRegistry();
        var digest = registry.AddManifest("a/b", "v1", "{}"u8.ToArray(), "application/vnd.oci.image.manifest.v1+json");
        using var client = new HttpClient(registry) { BaseAddress = new Uri($"http://{PublishingWarmUp.Registry}") };

        using var byTag = await client.GetAsync(new Uri("/v2/a/b/manifests/v1", UriKind.Relative));
        byTag.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        byTag.Headers.GetValues("Docker-Content-Digest").ShouldBe([digest.ToString()]);
        byTag.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.oci.image.manifest.v1+json");
        using var missing = await client.GetAsync(new Uri("/v2/a/b/manifests/v2", UriKind.Relative));
        missing.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        using var deleted = await client.DeleteAsync(new Uri($"/v2/a/b/manifests/{digest}", UriKind.Relative));
        deleted.StatusCode.ShouldBe(System.Net.HttpStatusCode.Accepted);
        using var gone = await client.GetAsync(new Uri($"/v2/a/b/manifests/{digest}", UriKind.Relative));
        gone.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_in_memory_registry_answers_later_so_the_callers_awaits_suspend()
    {
        // With every answer complete at once, the warm-up would compile only the synchronous fast path of each await and a
        // real build would still compile the state machine boxes and continuations (measured: verify 70–190 ms first).
        using var registry = new WarmUpRegistry();
        using var invoker = new HttpMessageInvoker(registry);
        var held = new HoldingContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(held);
        Task<HttpResponseMessage> answer;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{PublishingWarmUp.Registry}/v2/"));
            answer = invoker.SendAsync(request, CancellationToken.None);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        answer.IsCompleted.ShouldBeFalse("the answer came synchronously");
        held.RunAll();
        using var response = await answer.WaitAsync(TimeSpan.FromSeconds(10));
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
    }

    /// <summary>Holds what is posted to it until <see cref="RunAll"/>.</summary>
    private sealed class HoldingContext : SynchronizationContext
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public void RunAll()
        {
            while (_posted.TryDequeue(out var posted))
            {
                posted.Callback(posted.State);
            }
        }
    }
}
