using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Polyarch.Builder.Hosting.Logging;

/// <summary>
/// With <c>--log-format json</c> a verb's own stderr lines (<c>error: …</c>, <c>warning: …</c>, progress) become log events
/// too, so that every line on stderr is one compact JSON event: <c>error:</c> is level Error, <c>warning:</c> Warning, the
/// rest Information (always written: they are the verb's answer to a person, not diagnostics).
/// </summary>
internal sealed class StderrEventWriter(ILogEventSink sink, TimeProvider timeProvider) : TextWriter
{
    private static readonly MessageTemplate Template = new MessageTemplateParser().Parse("{Message}");
    private readonly StringBuilder _line = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_lock)
        {
            Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_lock)
        {
            foreach (var character in value ?? "")
            {
                Append(character);
            }
        }
    }

    public override void Flush()
    {
        // A line is written when it ends: a partial one waits for its end (or for Dispose).
    }

    protected override void Dispose(bool disposing)
    {
        lock (_lock)
        {
            EmitLine();
        }

        base.Dispose(disposing);
    }

    private void Append(char character)
    {
        switch (character)
        {
            case '\n':
                EmitLine();
                break;
            case '\r':
                break;
            default:
                _line.Append(character);
                break;
        }
    }

    private void EmitLine()
    {
        if (_line.Length == 0)
        {
            return;
        }

        var text = _line.ToString();
        _line.Clear();
        var (level, message) = text switch
        {
            _ when text.StartsWith("error: ", StringComparison.Ordinal) => (LogEventLevel.Error, text["error: ".Length..]),
            _ when text.StartsWith("warning: ", StringComparison.Ordinal) => (LogEventLevel.Warning, text["warning: ".Length..]),
            _ => (LogEventLevel.Information, text),
        };
        sink.Emit(new LogEvent(timeProvider.GetUtcNow(), level, null, Template, [new LogEventProperty("Message", new ScalarValue(message))]));
    }
}
