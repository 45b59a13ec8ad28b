using Polyarch.Builder.Records;

namespace Polyarch.Builder.Builds;

/// <summary>Stores a build request (committed before anyone is told) and wakes the worker.</summary>
internal sealed class BuildSubmitter(IBuildStore store, BuildQueueSignal signal)
{
    /// <summary>Validates and stores a request; throws <see cref="Errors.InvalidBuildInputException"/> (storing nothing) when it can never build.</summary>
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        BuildRequestValidator.EnsureValid(request);
        var result = await store.SubmitAsync(request, deliveryId, cancellationToken);
        if (result.Created || result.Requeued)
        {
            signal.Notify();
        }

        return result;
    }
}
