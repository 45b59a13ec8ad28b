using System.Text;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// Log lines up to a byte budget; what does not fit is dropped and noted. OpenWhisk's end-of-activation sentinel
/// (<see cref="Sentinel"/>, printed by runtimes on stdout and stderr after each activation) is never kept as a line: it
/// marks where an activation's output ends on its stream, so <see cref="DrainActivation"/> can cut one activation's
/// lines from those the next one already printed.
/// </summary>
internal sealed class BoundedLog(int maxBytes)
{
    /// <summary>What OpenWhisk action proxies print on stdout and stderr after each activation.</summary>
    public const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    private static readonly string[] Streams = ["stdout", "stderr"];

    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, StringBuilder> _partials = new(StringComparer.Ordinal);
    private TaskCompletionSource _sentinelSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _bytes;
    private int _sentinels;

    public bool Truncated { get; private set; }

    /// <summary>How many sentinel lines this log has seen so far: more than zero means the runtime prints them.</summary>
    public int SentinelsSeen => Volatile.Read(ref _sentinels);

    /// <summary>Appends decoded output; complete lines are kept, a trailing partial line (per stream) waits for more.</summary>
    public void Append(string stream, ReadOnlySpan<char> text)
    {
        lock (_gate)
        {
            if (!_partials.TryGetValue(stream, out var partial))
            {
                partial = new StringBuilder();
                _partials[stream] = partial;
            }

            foreach (var ch in text)
            {
                if (ch == '\n')
                {
                    AddLineLocked(stream, partial.ToString());
                    partial.Clear();
                }
                else if (ch != '\r' && partial.Length < maxBytes)
                {
                    partial.Append(ch);
                }
            }
        }
    }

    /// <summary>The lines so far (pending partial lines included, sentinels left out) and whether any were dropped; then empties.</summary>
    public (IReadOnlyList<string> Lines, bool Truncated) Drain()
    {
        lock (_gate)
        {
            foreach (var (stream, partial) in _partials)
            {
                if (partial.Length > 0)
                {
                    AddLineLocked(stream, partial.ToString());
                    partial.Clear();
                }
            }

            var result = (_entries.Where(e => !e.IsSentinel).Select(e => e.Line).ToArray(), Truncated);
            _entries.Clear();
            _bytes = 0;
            Truncated = false;
            return result;
        }
    }

    /// <summary>Whether stdout and stderr have each printed a sentinel that no drain consumed yet.</summary>
    public bool HasActivationEnd
    {
        get
        {
            lock (_gate)
            {
                return HasActivationEndLocked();
            }
        }
    }

    /// <summary>
    /// One activation's lines: on each stream, the lines up to its first sentinel (which is consumed); a stream that has
    /// printed no sentinel gives all its complete lines. What a stream printed after its sentinel stays for the next call.
    /// </summary>
    public (IReadOnlyList<string> Lines, bool Truncated) DrainActivation()
    {
        lock (_gate)
        {
            var lines = new List<string>();
            var ended = new HashSet<string>(StringComparer.Ordinal);
            var kept = new List<Entry>();
            foreach (var entry in _entries)
            {
                if (ended.Contains(entry.Stream))
                {
                    kept.Add(entry);
                }
                else if (entry.IsSentinel)
                {
                    ended.Add(entry.Stream);
                }
                else
                {
                    lines.Add(entry.Line);
                }
            }

            _entries.Clear();
            _entries.AddRange(kept);
            _bytes = kept.Sum(e => e.Bytes);
            var truncated = Truncated;
            Truncated = false;
            return (lines, truncated);
        }
    }

    /// <summary>Waits until <see cref="HasActivationEnd"/> or the wait is over; true when both sentinels came.</summary>
    public async Task<bool> WaitForActivationEndAsync(TimeSpan wait, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(wait, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, cancellationToken);
        try
        {
            while (true)
            {
                Task next;
                lock (_gate)
                {
                    if (HasActivationEndLocked())
                    {
                        return true;
                    }

                    next = _sentinelSeen.Task;
                }

                await next.WaitAsync(linked.Token);
            }
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return HasActivationEnd;
        }
    }

    /// <summary>The last lines kept so far, joined (for classifying a failure by its output).</summary>
    public string Tail(int lines)
    {
        lock (_gate)
        {
            return string.Join('\n', _entries.Where(e => !e.IsSentinel).Select(e => e.Line).TakeLast(lines).Concat(_partials.Values.Select(p => p.ToString())));
        }
    }

    private void AddLineLocked(string stream, string line)
    {
        if (line == Sentinel)
        {
            // A marker, not output: it costs no budget and is never dropped, or a full log would lose its cuts.
            _entries.Add(new Entry(stream, "", 0, IsSentinel: true));
            Interlocked.Increment(ref _sentinels);
            var seen = _sentinelSeen;
            _sentinelSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            seen.TrySetResult();
            return;
        }

        var size = Encoding.UTF8.GetByteCount(line) + stream.Length + 2;
        if (_bytes + size > maxBytes)
        {
            Truncated = true;
            return;
        }

        _bytes += size;
        _entries.Add(new Entry(stream, $"{stream}: {line}", size, IsSentinel: false));
    }

    private bool HasActivationEndLocked() => Streams.All(s => _entries.Any(e => e.IsSentinel && e.Stream == s));

    private sealed record Entry(string Stream, string Line, int Bytes, bool IsSentinel);
}
