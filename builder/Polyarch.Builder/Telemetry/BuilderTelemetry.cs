using System.Diagnostics;

namespace Polyarch.Builder.Telemetry;

/// <summary>
/// The builder's spans (OpenTelemetry through System.Diagnostics): webhook → queue → build → checkout → bake (one child
/// per platform) → verify → annotate → tag. The request's traceparent is stored with the build, so the queue wait and the
/// build join the webhook's trace whichever process runs it; the build's own traceparent goes into the index it pushes
/// (<see cref="Polyarch.Registry.Indexes.TraceAnnotations.TraceParent"/>), so the invoker's firing joins it too.
/// Exported over OTLP only when OTEL_EXPORTER_OTLP_ENDPOINT is set; without a listener no span is created at all.
/// </summary>
internal static class BuilderTelemetry
{
    public const string SourceName = "Polyarch.Builder";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The parent context a stored traceparent names, or default (a new trace) when there is none or it is malformed.</summary>
    public static ActivityContext Parent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, out var context) ? context : default;

    /// <summary>A finished span covering [<paramref name="start"/>, <paramref name="end"/>] (the queue wait, one platform's steps).</summary>
    public static void Record(string name, ActivityContext parent, DateTimeOffset start, DateTimeOffset end, params (string Key, object? Value)[] tags)
    {
        using var activity = Source.StartActivity(name, ActivityKind.Internal, parent, startTime: start);
        if (activity is null)
        {
            return;
        }

        foreach (var (key, value) in tags)
        {
            activity.SetTag(key, value);
        }

        activity.SetEndTime(end.UtcDateTime);
    }

    /// <summary>Marks <paramref name="activity"/> failed with <paramref name="exception"/>'s message (OpenTelemetry's error status).</summary>
    public static void Fail(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
}
