using Polyarch.Builder.Records;
using Polyarch.Builder.Telemetry;

namespace Polyarch.Builder.Builds;

/// <summary>Stores a build request (committed before anyone is told) and wakes the worker.</summary>
internal sealed class BuildSubmitter(IBuildStore store, BuildQueueSignal signal)
{
    /// <summary>Validates and stores a request; throws <see cref="Errors.InvalidBuildInputException"/> (storing nothing) when it can never build.</summary>
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        BuildRequestValidator.EnsureValid(request);
        using var activity = BuilderTelemetry.Source.StartActivity("queue build");
        activity?.SetTag("polyarch.repository", request.Repository);
        activity?.SetTag("polyarch.commit", request.Commit);
        activity?.SetTag("polyarch.trigger", request.Trigger);
        if (activity is not null && request.TraceParent is null)
        {
            // Stored with the build: the queue wait and the build join this trace, whichever process runs it.
            request = request with { TraceParent = activity.Id };
        }

        var result = await store.SubmitAsync(request, deliveryId, cancellationToken);
        activity?.SetTag("polyarch.build.id", result.Build.Id);
        if (result.Created || result.Requeued)
        {
            signal.Notify();
        }

        return result;
    }
}
