using Polyarch.Builder.Records;

namespace Polyarch.Builder.Builds;

/// <summary>Stores a build request (committed before anyone is told) and wakes the worker.</summary>
internal sealed class BuildSubmitter(BuildStore store, BuildQueueSignal signal)
{
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        var result = await store.SubmitAsync(request, deliveryId, cancellationToken);
        if (result.Created)
        {
            signal.Notify();
        }

        return result;
    }
}
