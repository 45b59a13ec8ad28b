using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Polyarch.Invoker.Triggers;

/// <summary>Counters and histograms of the trigger path (exported at /metrics).</summary>
internal sealed class TriggerMetrics : IDisposable
{
    public const string MeterName = "Polyarch.Invoker";

    private readonly Meter _meter;
    private readonly Counter<long> _webhookCalls;
    private readonly Counter<long> _firings;
    private readonly Counter<long> _activations;
    private readonly Histogram<double> _activationDuration;
    private readonly Histogram<double> _pushToStart;

    public TriggerMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _webhookCalls = _meter.CreateCounter<long>("polyarch_invoker_webhook_calls", description: "Registry webhook calls by outcome");
        _firings = _meter.CreateCounter<long>("polyarch_invoker_rule_firings", description: "Rule firings by rule");
        _activations = _meter.CreateCounter<long>("polyarch_invoker_activations", description: "Activations by status and platform");
        _activationDuration = _meter.CreateHistogram<double>("polyarch_invoker_activation_duration", unit: "s", description: "Activation duration by status and platform");
        _pushToStart = _meter.CreateHistogram<double>("polyarch_invoker_push_to_activation_start", unit: "s", description: "Time from an accepted push to its activations' start");
    }

    /// <summary>Reads the number of stored pushes waiting to be processed (an observable gauge).</summary>
    public void ObservePendingPushes(Func<long> pending) =>
        _meter.CreateObservableGauge("polyarch_invoker_pending_pushes", pending, description: "Pushes stored but not processed yet");

    public void Webhook(string outcome) => _webhookCalls.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Fired(string rule) => _firings.Add(1, new KeyValuePair<string, object?>("rule", rule));

    public void Activation(string status, string platform, TimeSpan duration)
    {
        var tags = new TagList { { "status", status }, { "platform", platform } };
        _activations.Add(1, tags);
        _activationDuration.Record(duration.TotalSeconds, tags);
    }

    public void PushToStart(TimeSpan latency) => _pushToStart.Record(latency.TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
