namespace Polyarch.Testing;

/// <summary>Waiting in tests for something another process or thread does: ask again until it holds or time runs out.</summary>
public static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Asks <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> after <paramref name="timeout"/>. Exceptions of the condition count as "not yet" (the
    /// last one is the timeout's inner exception), so a server that is not listening yet can be polled as it is.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, TimeSpan? interval = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }

                last = null;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = exception;
            }

            if (time.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.", last);
            }

            await Task.Delay(interval ?? DefaultInterval, time, cancellationToken);
        }
    }

    /// <summary><see cref="UntilAsync(Func{Task{bool}}, TimeSpan, string, TimeSpan?, TimeProvider?, CancellationToken)"/> for a synchronous condition.</summary>
    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what, TimeSpan? interval = null, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, what, interval, time, cancellationToken);
}
