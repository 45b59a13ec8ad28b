namespace Polyarch.Builder.Builds;

/// <summary>Wakes the queue worker when a build is stored or finished (it also polls, so a lost signal only delays).</summary>
internal sealed class BuildQueueSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        await _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}
