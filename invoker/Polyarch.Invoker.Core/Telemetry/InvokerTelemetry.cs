using System.Diagnostics;

namespace Polyarch.Invoker.Telemetry;

/// <summary>
/// The invoker's spans (OpenTelemetry through System.Diagnostics): registry notification; firing → invoke → placement →
/// activation (per candidate tried) → init / run, on both backends. A firing joins the trace of the build that pushed the
/// index (its annotation io.polyarch.trace-parent, written by the builder), so one push is one trace across builder,
/// registry and invoker. Exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; without a listener no span exists.
/// </summary>
internal static class InvokerTelemetry
{
    public const string SourceName = "Polyarch.Invoker";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The context a traceparent names, or default (a new trace) when there is none or it is malformed.</summary>
    public static ActivityContext Parent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;
}
