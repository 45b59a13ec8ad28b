using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>
/// The in-memory registry a just-started `serve`'s rehearsed build pushes to (issue 18, P5; BuildRehearsalTests): it answers
/// as distribution does, and later, as a socket does.
/// </summary>
public sealed class WarmUpRegistryTests
{
    [Fact]
    public async Task The_in_memory_registry_answers_like_distribution()
    {
        using var registry = new WarmUpRegistry();
        var digest = registry.AddManifest("a/b", "v1", "{}"u8.ToArray(), "application/vnd.oci.image.manifest.v1+json");
        using var client = new HttpClient(registry) { BaseAddress = new Uri($"http://{BuildRehearsal.Registry}") };

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
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{BuildRehearsal.Registry}/v2/"));
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
