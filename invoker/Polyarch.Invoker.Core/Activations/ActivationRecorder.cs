using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Polyarch.Invoker.Activations;

/// <summary>
/// Writes activation records off the invocation path (OpenWhisk stores them asynchronously too): records
/// are queued, written in batches (one transaction each) by one background writer, and readable from memory
/// until written.
/// Disposing flushes what is queued.
/// </summary>
internal sealed partial class ActivationRecorder : IActivationStore, IAsyncDisposable
{
    private const int BatchSize = 256;
    private readonly IActivationStore _store;
    private readonly ILogger<ActivationRecorder> _logger;
    private readonly Channel<ActivationRecord> _queue = Channel.CreateUnbounded<ActivationRecord>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, ActivationRecord> _pending = new(StringComparer.Ordinal);
    private readonly Task _writer;

    public ActivationRecorder(IActivationStore store, ILogger<ActivationRecorder> logger)
    {
        _store = store;
        _logger = logger;
        _writer = Task.Run(WriteLoopAsync);
    }

    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken)
    {
        _pending[record.ActivationId] = record;
        if (!_queue.Writer.TryWrite(record))
        {
            // Disposed: write through.
            _pending.TryRemove(record.ActivationId, out _);
            return _store.SaveAsync(record, cancellationToken);
        }

        return Task.CompletedTask;
    }

    public async Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) =>
        _pending.TryGetValue(activationId, out var record) ? record : await _store.GetAsync(activationId, cancellationToken);

    public async Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken)
    {
        // Pending first, then the store: the writer stores a record before it leaves _pending, so every record
        // is in one of the two reads (the other order can miss a batch written in between).
        List<ActivationRecord> pending = _pending.IsEmpty ? [] : _pending.Values.Where(r => action is null || r.Action == action).ToList();
        var stored = await _store.ListAsync(action, limit, cancellationToken);
        if (pending.Count == 0)
        {
            return stored;
        }

        return [.. pending
            .Concat(stored)
            .DistinctBy(r => r.ActivationId)
            .OrderByDescending(r => r.Start)
            .Take(limit)];
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<ActivationRecord>(BatchSize);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            try
            {
                // One transaction per batch: under load many records share one commit.
                await _store.SaveManyAsync(batch, CancellationToken.None);
            }
#pragma warning disable CA1031 // One record that cannot be written must not stop the writer (nor lose its batch).
            catch (Exception)
#pragma warning restore CA1031
            {
                await SaveOneByOneAsync(batch);
            }

            foreach (var record in batch)
            {
                _pending.TryRemove(record.ActivationId, out _);
            }

            batch.Clear();
        }
    }

    private async Task SaveOneByOneAsync(List<ActivationRecord> batch)
    {
        foreach (var record in batch)
        {
            try
            {
                await _store.SaveAsync(record, CancellationToken.None);
            }
#pragma warning disable CA1031 // One record that cannot be written must not stop the writer.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogWriteFailed(exception, record.ActivationId);
            }
        }
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Could not store activation {ActivationId}")]
    private partial void LogWriteFailed(Exception exception, string activationId);
}
