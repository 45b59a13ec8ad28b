using System.Text;

namespace Polyarch.Invoker.Invocation;

/// <summary>Log lines up to a byte budget; what does not fit is dropped and noted.</summary>
internal sealed class BoundedLog(int maxBytes)
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];
    private readonly StringBuilder _partial = new();
    private int _bytes;

    public bool Truncated { get; private set; }

    /// <summary>Appends decoded output; complete lines are kept, a trailing partial line waits for more.</summary>
    public void Append(string stream, ReadOnlySpan<char> text)
    {
        lock (_gate)
        {
            foreach (var ch in text)
            {
                if (ch == '\n')
                {
                    AddLineLocked(stream, _partial.ToString());
                    _partial.Clear();
                }
                else if (ch != '\r' && _partial.Length < maxBytes)
                {
                    _partial.Append(ch);
                }
            }
        }
    }

    /// <summary>The lines so far (a pending partial line included) and whether any were dropped; then empties.</summary>
    public (IReadOnlyList<string> Lines, bool Truncated) Drain()
    {
        lock (_gate)
        {
            if (_partial.Length > 0)
            {
                AddLineLocked("stdout", _partial.ToString());
                _partial.Clear();
            }

            var result = (_lines.ToArray(), Truncated);
            _lines.Clear();
            _bytes = 0;
            Truncated = false;
            return result;
        }
    }

    /// <summary>The last lines kept so far, joined (for classifying a failure by its output).</summary>
    public string Tail(int lines)
    {
        lock (_gate)
        {
            return string.Join('\n', _lines.TakeLast(lines).Append(_partial.ToString()));
        }
    }

    private void AddLineLocked(string stream, string line)
    {
        var size = Encoding.UTF8.GetByteCount(line) + stream.Length + 2;
        if (_bytes + size > maxBytes)
        {
            Truncated = true;
            return;
        }

        _bytes += size;
        _lines.Add($"{stream}: {line}");
    }
}
