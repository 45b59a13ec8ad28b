using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// <c>serve</c> does its first-use work while it starts, before it announces itself (<see cref="ServiceEndpointFile"/> writes
/// serve.json once the host has started, which waits for this), so a CLI never meets a cold service (issue 18, P5): the
/// pieces of <see cref="ServiceWarmUpPieces"/> run side by side from the very beginning of start-up. A piece that fails logs
/// one warning and the first build pays for it as before; start-up waits for them at most <see cref="BuilderOptions.WarmUpTimeout"/>
/// (the rest go on in the background).
/// </summary>
internal sealed partial class ServiceWarmUp(
    ServiceWarmUpPieces pieces, IServer server, IOptions<BuilderOptions> options, TimeProvider time, ILogger<ServiceWarmUp> logger) : IHostedLifecycleService, IDisposable
{
    private readonly TimeSpan _bound = options.Value.WarmUpTimeout;
    private readonly CancellationTokenSource _stopping = new();
    private Task<int>? _warming;
    private long _started;
    private int _count;

    /// <summary>Starts every piece: the first thing the host does when it starts.</summary>
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        if (_bound > TimeSpan.Zero)
        {
            _started = time.GetTimestamp();
            _warming = RunAllAsync(pieces.For(options.Value));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Now that the server listens, warms its request path too; then waits for every piece, at most until the bound since
    /// start-up began. The host announces itself (ApplicationStarted → serve.json) only after this.
    /// </summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        if (_warming is null)
        {
            return;
        }

        var all = ServiceEndpointFile.LocalAddress(server) is { } address
            ? Task.WhenAll(_warming, RunAllAsync([ServiceWarmUpPieces.RequestPath(address, Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "warm-up-no-such-repository"), time)]))
            : Task.WhenAll(_warming);
        try
        {
            var remaining = _bound - time.GetElapsedTime(_started);
            var counts = await all.WaitAsync(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, time, cancellationToken);
            var elapsedMs = (long)time.GetElapsedTime(_started).TotalMilliseconds;
            var succeeded = counts.Sum();
            Log.Finished(logger, succeeded, _count, elapsedMs);
        }
        catch (TimeoutException)
        {
            Log.Unfinished(logger, _bound.TotalSeconds);
        }
    }

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    /// <summary>Runs the pieces side by side; answers how many succeeded.</summary>
    private async Task<int> RunAllAsync(IReadOnlyList<ServiceWarmUpPieces.Piece> run)
    {
        Interlocked.Add(ref _count, run.Count);
        var done = await Task.WhenAll(run.Select(piece => Task.Run(() => RunAsync(piece.Name, piece.RunAsync), CancellationToken.None)));
        return done.Count(succeeded => succeeded);
    }

    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A warm-up piece never stops the service: it is logged, and the first build pays as it did before.")]
    private async Task<bool> RunAsync(string name, Func<CancellationToken, Task> piece)
    {
        var started = time.GetTimestamp();
        try
        {
            await piece(_stopping.Token);
            var elapsedMs = (long)time.GetElapsedTime(started).TotalMilliseconds;
            Log.PieceDone(logger, name, elapsedMs);
            return true;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception exception)
        {
            var reason = exception.Message.ReplaceLineEndings(" ");
            Log.PieceFailed(logger, name, reason);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Warm-up of {Piece} failed: {Reason}. The service runs; its first build pays for this itself")]
        public static partial void PieceFailed(ILogger logger, string piece, string reason);

        [LoggerMessage(EventId = 421, Level = LogLevel.Debug, Message = "Warm-up of {Piece} took {ElapsedMs} ms")]
        public static partial void PieceDone(ILogger logger, string piece, long elapsedMs);

        [LoggerMessage(EventId = 422, Level = LogLevel.Information, Message = "Warm-up done: {Succeeded} of {Count} pieces in {ElapsedMs} ms")]
        public static partial void Finished(ILogger logger, int succeeded, int count, long elapsedMs);

        [LoggerMessage(EventId = 423, Level = LogLevel.Warning, Message = "Warm-up did not finish within {Seconds} s (Builder:WarmUpTimeout); the service starts now and the rest goes on beside it")]
        public static partial void Unfinished(ILogger logger, double seconds);
    }
}
