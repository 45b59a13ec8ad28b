using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Runs the database steps of a push's path once at start-up, writing nothing: the webhook's store transaction (empty),
/// the accepted registries and rules, the firing and pending-push look-ups, the activation look-up. Their first call
/// compiles the ADO.NET/SQLite code (and opens the pool) — on the first push's clock that was ~60 ms of the ~280 ms
/// measured from event to activation start (P7, issue 18).
/// </summary>
internal sealed partial class PushPathWarmUp(
    PushStore pushes,
    FiringStore firings,
    IRuleStore rules,
    TriggerRegistries registries,
    IActivationStore activations,
    TimeProvider timeProvider,
    ILogger<PushPathWarmUp> logger)
{
    private const string Nothing = "warm-up/warm-up";

    /// <summary>The steps run by the last <see cref="WarmUpAsync"/>, in order (diagnostics and tests).</summary>
    public IReadOnlyList<string> Steps { get; private set; } = [];

    /// <summary>Runs each step once on input that matches nothing; a step that fails is logged and skipped.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var steps = new List<string>();
        await StepAsync(steps, "pushes.add", () => pushes.AddAsync([], "warm-up", cancellationToken), cancellationToken);
        await StepAsync(steps, "registries.list", () => registries.ListAsync(cancellationToken), cancellationToken);
        await StepAsync(steps, "pushes.pending", () => pushes.IsPendingAsync(Nothing, Nothing, Nothing, Nothing, cancellationToken), cancellationToken);
        await StepAsync(steps, "rules.list", () => rules.ListAsync(cancellationToken), cancellationToken);
        await StepAsync(steps, "firings.exists", () => firings.ExistsAsync(Nothing, Nothing, Nothing, cancellationToken), cancellationToken);
        await StepAsync(steps, "activations.get", () => activations.GetAsync(Nothing, cancellationToken), cancellationToken);
        Steps = steps;
        var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
        LogWarmedUp(steps.Count, elapsed);
    }

    private async Task StepAsync(List<string> steps, string name, Func<Task> step, CancellationToken cancellationToken)
    {
        try
        {
            await step();
            steps.Add(name);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store that does not answer yet is not fatal at start-up: the first push uses it again and reports it.
            LogStepFailed(exception, name);
        }
    }

    [LoggerMessage(EventId = 7360, Level = LogLevel.Debug, Message = "Warmed up {Count} steps of the push path in {Milliseconds:F0} ms")]
    private partial void LogWarmedUp(int count, double milliseconds);

    [LoggerMessage(EventId = 7361, Level = LogLevel.Warning, Message = "Could not warm up step {Step} of the push path at start-up; the first push runs it cold")]
    private partial void LogStepFailed(Exception exception, string step);
}
