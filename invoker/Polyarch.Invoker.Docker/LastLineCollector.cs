using System.Buffers;
using System.Text;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// An exec action's stdout: the last non-empty line is the result, earlier lines go to the logs. Thread-safe: the
/// output pump writes while the runner may already complete it (a container whose stream does not end in time).
/// </summary>
internal sealed class LastLineCollector(int maxResultBytes, BoundedLog logs)
{
    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _current = new();
    private byte[] _last = [];
    private bool _lastExceeded;
    private bool _currentExceeded;

    public void Write(ReadOnlySpan<byte> chunk)
    {
        lock (_gate)
        {
            WriteLocked(chunk);
        }
    }

    private void WriteLocked(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var newline = chunk.IndexOf((byte)'\n');
            var part = newline < 0 ? chunk : chunk[..newline];
            if (!_currentExceeded)
            {
                if (_current.WrittenCount + part.Length > maxResultBytes)
                {
                    _currentExceeded = true;
                    _current.ResetWrittenCount();
                }
                else
                {
                    _current.Write(part);
                }
            }

            if (newline < 0)
            {
                return;
            }

            EndLine();
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>The result line (without its newline) and whether it exceeded the limit.</summary>
    public (byte[] Line, bool Exceeded) Complete()
    {
        lock (_gate)
        {
            EndLine();
            return (_last, _lastExceeded);
        }
    }

    private void EndLine()
    {
        var line = _current.WrittenSpan.ToArray();
        var isEmpty = !_currentExceeded && line.AsSpan().Trim("\r \t"u8).IsEmpty;
        if (!isEmpty)
        {
            if (_last.Length > 0 || _lastExceeded)
            {
                logs.Append("stdout", _lastExceeded ? "(a line over the result limit was dropped)\n" : Encoding.UTF8.GetString(_last) + "\n");
            }

            _last = line;
            _lastExceeded = _currentExceeded;
        }

        _current.ResetWrittenCount();
        _currentExceeded = false;
    }
}
