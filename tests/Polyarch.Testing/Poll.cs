using System.Net.Sockets;

namespace Polyarch.Testing;

/// <summary>Waiting in tests for something another process or thread does: ask again until it holds or time runs out.</summary>
public static class Poll
{
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Asks <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> naming
    /// <paramref name="what"/> (and <paramref name="details"/>, e.g. the server's log) after <paramref name="timeout"/>.
    /// "Not listening yet" failures (<see cref="HttpRequestException"/>, <see cref="IOException"/>,
    /// <see cref="SocketException"/>, a client timeout) count as "not yet" and the last one becomes the timeout's inner
    /// exception; any other exception ends the wait at once (e.g. the condition's "the process exited").
    /// </summary>
    public static async Task UntilAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        string what,
        Func<string>? details = null,
        TimeSpan? interval = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Exception? last = null;
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or SocketException
                                                  || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                last = exception;
            }

            if (time.GetElapsedTime(started) >= timeout)
            {
                var detail = details?.Invoke();
                throw new TimeoutException(
                    $"Waited {timeout.TotalSeconds:0.#} s for {what}{(last is null ? "" : $" (last: {last.Message})")}{(string.IsNullOrEmpty(detail) ? "" : $":\n{detail}")}",
                    last);
            }

            await Task.Delay(interval ?? DefaultInterval, time, cancellationToken);
        }
    }
}
