using System.Globalization;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Polyarch.Builder.Hosting.Logging;

/// <summary>Writes each event as one line of Serilog's compact JSON, whole (formatted first, then written under a lock).</summary>
internal sealed class JsonLinesSink(TextWriter output) : ILogEventSink
{
    private readonly CompactJsonFormatter _formatter = new();
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        using var line = new StringWriter(CultureInfo.InvariantCulture);
        _formatter.Format(logEvent, line);
        lock (_lock)
        {
            output.Write(line.ToString());
            output.Flush();
        }
    }
}
