using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// <c>POST /v1/builds/{id}/cancel</c>: a queued build is cancelled at once; a build this service runs has its bake process group
/// interrupted, then killed after Builder:CancelGracePeriod, and is recorded <c>cancelled</c> (200 with the record once it
/// ended). 409 when the build already ended or runs in another process (a CLI's own build, another replica).
/// </summary>
internal static class BuildCancelEndpoint
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ExtraWait = TimeSpan.FromSeconds(15);

    public static async Task<IResult> HandleAsync(
        string id, IBuildStore store, BuildCancellations cancellations, IOptions<BuilderOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var build = await store.GetAsync(id, cancellationToken);
        if (build is null)
        {
            return BuildsApi.NotFound(id);
        }

        // A worker may claim the build between our read and our update: look a few times before calling it someone else's.
        for (var attempt = 0; attempt < 5 && !build.IsFinished; attempt++)
        {
            if (build.Status == BuildStatus.Queued
                && await store.CancelQueuedAsync(id, new BuildError($"Build {id} was cancelled before it started; no tag was moved.", 1), cancellationToken))
            {
                return Results.Json(await store.GetAsync(id, cancellationToken), BuildJson.Options);
            }

            if (cancellations.Cancel(id))
            {
                return await WaitForEndAsync(id, store, options.Value.CancelGracePeriod + ExtraWait, time, cancellationToken);
            }

            await Task.Delay(Poll, time, cancellationToken);
            build = await store.GetAsync(id, cancellationToken) ?? build;
        }

        return Results.Problem(
            detail: build.IsFinished
                ? $"Build {id} already ended as {build.Status.ToString().ToLowerInvariant()}; there is nothing to cancel."
                : $"Build {id} is running in another process (a CLI's own build or another replica); cancel it there (Ctrl+C) or on that replica.",
            statusCode: StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> WaitForEndAsync(string id, IBuildStore store, TimeSpan wait, TimeProvider time, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var build = await store.GetAsync(id, cancellationToken);
            if (build is null || build.IsFinished || time.GetUtcNow() >= deadline)
            {
                return Results.Json(build, BuildJson.Options, statusCode: build?.IsFinished == true ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
            }

            await Task.Delay(Poll, time, cancellationToken);
        }
    }
}
