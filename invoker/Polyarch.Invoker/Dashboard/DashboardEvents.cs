using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Dashboard;

/// <summary>
/// GET /dashboard/events (server-sent events): <c>activation</c> — a table row for each activation stored after the page
/// connected (by this service, a rule or a CLI sharing the state directory: the store is polled, not the process);
/// <c>builds</c> — the build matrix again whenever a build's state changes, and while builds run (with each running
/// platform's progress from the builder's event stream).
/// </summary>
internal static class DashboardEvents
{
    public static IResult Stream(HttpContext context, IActivationStore store, BuilderApiClient builder, IOptions<DashboardOptions> options, TimeProvider time) =>
        context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)
            ? TypedResults.ServerSentEvents(EventsAsync(store, builder, options.Value.PollInterval, time, context.RequestAborted))
            : Results.Json(new { error = "/dashboard/events is an event stream (the dashboard's pages open it): send 'Accept: text/event-stream'." }, Json.InvokerJson.Options, statusCode: 406);

    private static async IAsyncEnumerable<SseItem<string>> EventsAsync(
        IActivationStore store, BuilderApiClient builder, TimeSpan interval, TimeProvider time, [EnumeratorCancellation] CancellationToken ct)
    {
        var seen = new HashSet<string>((await store.ListAsync(null, 100, ct)).Select(r => r.ActivationId), StringComparer.Ordinal);

        // At once, so the response starts (the browser's EventSource opens) before anything happens: from here on nothing is missed.
        yield return new SseItem<string>("live", "hello");
        string? buildState = null;
        var tick = 0;
        while (!ct.IsCancellationRequested)
        {
            foreach (var record in (await store.ListAsync(null, 50, ct)).Reverse())
            {
                if (seen.Add(record.ActivationId))
                {
                    yield return new SseItem<string>(ActivationRows.Row(record), "activation");
                }
            }

            if (tick++ % 2 == 0)
            {
                var answer = await builder.ListBuildsAsync(20, ct);
                if (answer.Json is { } json)
                {
                    var builds = BuildView.ParseList(json);
                    var state = string.Join(';', builds.Select(b => $"{b.Id}:{b.Status}:{b.Record.GetRawText().Length}"));
                    var running = builds.Any(b => b.Status == "running");
                    if (buildState is not null && (state != buildState || running))
                    {
                        var progress = running ? await builder.GetRunningProgressAsync(builds, ct) : null;
                        yield return new SseItem<string>(BuildMatrix.Render(BuildMatrix.FailuresFirst(builds), time, progress), "builds");
                    }

                    buildState = state;
                }
            }

            try
            {
                await Task.Delay(interval, time, ct);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }
}
