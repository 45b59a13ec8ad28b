using Prometheus;

namespace Polyarch.Invoker.Triggers;

/// <summary>Counters and histograms of activations and the trigger path (Prometheus, exported at /metrics).</summary>
internal sealed class TriggerMetrics
{
    // Same name → same collector: prometheus-net returns the registered one for every instance.
    private readonly Counter _webhookCalls = Metrics.CreateCounter("polyarch_invoker_webhook_calls_total", "Registry webhook calls by outcome", "outcome");
    private readonly Counter _firings = Metrics.CreateCounter("polyarch_invoker_rule_firings_total", "Rule firings by rule", "rule");
    private readonly Counter _activations = Metrics.CreateCounter("polyarch_invoker_activations_total", "Activations by status and platform", "status", "platform");
    private readonly Histogram _activationSeconds = Metrics.CreateHistogram("polyarch_invoker_activation_duration_seconds", "Activation duration by status and platform",
        new HistogramConfiguration { LabelNames = ["status", "platform"], Buckets = Histogram.ExponentialBuckets(0.01, 2, 14) });
    private readonly Histogram _pushToStartSeconds = Metrics.CreateHistogram("polyarch_invoker_push_to_firing_start_seconds", "Time from an accepted push to the start of its firing",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 16) });
    private readonly Gauge _pendingPushes = Metrics.CreateGauge("polyarch_invoker_pending_pushes", "Pushes stored but not processed yet (the trigger queue depth)");

    public void SetPendingPushes(long pending) => _pendingPushes.Set(pending);

    public void Webhook(string outcome) => _webhookCalls.WithLabels(outcome).Inc();

    public void Fired(string rule) => _firings.WithLabels(rule).Inc();

    public void Activation(string status, string platform, TimeSpan duration)
    {
        _activations.WithLabels(status, platform).Inc();
        _activationSeconds.WithLabels(status, platform).Observe(duration.TotalSeconds);
    }

    public void PushToStart(TimeSpan latency) => _pushToStartSeconds.Observe(latency.TotalSeconds);
}
