using System.Text.Json;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// <c>GET /v1/builds/{id}/events</c>: newline-delimited JSON — <c>{"progress": …}</c> per platform step while the build runs
/// here, then <c>{"build": …}</c>, the final record, and the end of the stream.
/// </summary>
internal static class BuildEventsEndpoint
{
    private static readonly TimeSpan StorePoll = TimeSpan.FromSeconds(1);

    public static async Task HandleAsync(string id, HttpContext context, IBuildStore store, BuildProgressHub hub, TimeProvider time, CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(id);
        var build = await store.GetAsync(id, cancellationToken);
        if (build is null)
        {
            await BuildsApi.NotFound(id).ExecuteAsync(context);
            return;
        }

        context.Response.ContentType = "application/x-ndjson; charset=utf-8";
        await context.Response.StartAsync(cancellationToken);
        while (!build.IsFinished)
        {
            if (subscription.Reader.Completion.IsCompleted)
            {
                // Ended here but not finished (re-queued at shutdown) or run by another replica: ask the store now and then.
                await Task.Delay(StorePoll, time, cancellationToken);
            }
            else
            {
                using var poll = new CancellationTokenSource(StorePoll, time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, poll.Token);
                try
                {
                    while (await subscription.Reader.WaitToReadAsync(linked.Token))
                    {
                        while (subscription.Reader.TryRead(out var progress))
                        {
                            await WriteAsync(context, new { progress }, cancellationToken);
                        }

                        await context.Response.Body.FlushAsync(cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (poll.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    // Nothing new for a while: look at the store (the build may run elsewhere).
                }
            }

            build = await store.GetAsync(id, cancellationToken) ?? build;
        }

        await WriteAsync(context, new { build }, cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteAsync<T>(HttpContext context, T value, CancellationToken cancellationToken)
    {
        await JsonSerializer.SerializeAsync(context.Response.Body, value, BuildJson.Options, cancellationToken);
        await context.Response.Body.WriteAsync("\n"u8.ToArray(), cancellationToken);
    }
}
