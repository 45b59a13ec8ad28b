namespace Polyarch.Builder.Hosting.Logging;

/// <summary>How log events are written (`--log-format`, ServiceLog:Format): text for people, Serilog's compact JSON (CLEF) for machines.</summary>
public enum LogFormat
{
    /// <summary>One readable line per event.</summary>
    Text,

    /// <summary>One JSON object per line (Serilog.Formatting.Compact: @t, @mt, @l, @x and the properties).</summary>
    Json,
}
