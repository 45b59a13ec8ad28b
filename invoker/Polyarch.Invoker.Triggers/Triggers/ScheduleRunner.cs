using Microsoft.Extensions.Options;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Fires scheduled rules at their cron occurrences, on the <see cref="TimeProvider"/> clock. Only the leader does it (the
/// scheduler's advisory lock on PostgreSQL; the one process on SQLite). Each rule's last fired occurrence is stored
/// (<see cref="ScheduleStore"/>) and each firing is keyed by its occurrence (<see cref="FiringStore"/>), so a restart
/// neither repeats an occurrence nor misses one. Occurrences missed while no invoker ran fire once, as the latest of
/// them (a backlog of a week of five-minute jobs is one run, not 2016), and the log says how many were folded into it.
/// </summary>
internal sealed partial class ScheduleRunner(
    IRuleStore rules,
    ScheduleStore schedules,
    FiringStore firings,
    FiringPlanner planner,
    FiringRunner runner,
    TriggerDatabase database,
    TriggerMetrics metrics,
    IOptions<TriggerOptions> options,
    TimeProvider timeProvider,
    ILogger<ScheduleRunner> logger) : BackgroundService
{
    private ILeadership? _leadership;

    /// <summary>Whether this replica is the one that fires schedules (it keeps the lock once it has it, until it stops).</summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        if (_leadership is not null && !await _leadership.IsHeldAsync(cancellationToken))
        {
            await _leadership.DisposeAsync();
            _leadership = null;
        }

        _leadership ??= await database.Store.TryLeadAsync(LeaderKeys.Scheduler, cancellationToken);
        return _leadership is not null;
    }

    /// <summary>Gives the scheduler's lock up (at shutdown; tests).</summary>
    public async Task StepDownAsync()
    {
        if (_leadership is not null)
        {
            await _leadership.DisposeAsync();
            _leadership = null;
        }
    }

    /// <summary>
    /// One pass, if this replica leads: fires every scheduled rule whose occurrence has come since its last, and returns
    /// how many firings it started (the loop's body; tests call it directly).
    /// </summary>
    public async Task<int> FireDueAsync(CancellationToken cancellationToken)
    {
        if (!await TryLeadAsync(cancellationToken))
        {
            LogNotLeader();
            return 0;
        }

        var fired = 0;
        var now = timeProvider.GetUtcNow();
        foreach (var rule in await ScheduledAsync(cancellationToken))
        {
            var signature = RuleSchedule.Signature(rule);
            if (await schedules.LastAsync(rule.Name, signature, cancellationToken) is not { } last)
            {
                // A rule stored without a baseline (its create could not write one): count from now.
                await schedules.BaselineAsync(rule.Name, signature, now, cancellationToken);
                continue;
            }

            var (occurrence, count) = RuleSchedule.For(rule).Due(last, now);
            if (occurrence is not { } due)
            {
                continue;
            }

            if (count > 1)
            {
                LogFolded(rule.Name, count, last, due);
            }

            var at = due.ToUniversalTime();
            var key = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
            if (!await firings.ExistsAsync(rule.Name, Firing.ScheduleRepository, key, cancellationToken))
            {
                var trigger = new WorkflowTrigger(WorkflowTrigger.ScheduleKind, rule.Name, ScheduledAt: at);
                if (await planner.PlanAsync(rule, Firing.ScheduleRepository, key, trigger, cancellationToken) is { } firing
                    && await firings.TryAddAsync(firing, pushId: 0, cancellationToken))
                {
                    metrics.Fired(rule.Name);
                    runner.Start(firing, received: null, cancellationToken);
                    LogFired(rule.Name, at);
                    fired++;
                }
            }

            // After the firing is stored: a crash in between finds the firing by its key and does not start it again.
            await schedules.AdvanceAsync(rule.Name, signature, due, cancellationToken);
        }

        return fired;
    }

    /// <summary>When the next occurrence of any scheduled rule comes, or null when none has one.</summary>
    public async Task<DateTimeOffset?> NextAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var rule in await ScheduledAsync(cancellationToken))
        {
            if (RuleSchedule.For(rule).Next(now) is { } at && (next is null || at < next))
            {
                next = at;
            }
        }

        return next;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ProcessPushes)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = options.Value.ScheduleInterval;
                try
                {
                    await FireDueAsync(stoppingToken);
                    if (_leadership is not null && await NextAsync(stoppingToken) is { } next)
                    {
                        // Wake at the next occurrence, but look again at least every ScheduleInterval (new or changed rules).
                        var until = next - timeProvider.GetUtcNow();
                        wait = until < wait ? (until < TimeSpan.Zero ? TimeSpan.Zero : until) : wait;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogLoopFailed(exception);
                }

                await Task.Delay(wait, timeProvider, stoppingToken);
            }
        }
        finally
        {
            await StepDownAsync();
        }
    }

    private async Task<IReadOnlyList<RuleDefinition>> ScheduledAsync(CancellationToken cancellationToken) =>
        [.. (await rules.ListAsync(cancellationToken)).Where(r => r.Event == RuleDefinition.ScheduleEvent && RuleValidator.Validate(r).Count == 0)];

    [LoggerMessage(EventId = 7501, Level = LogLevel.Information, Message = "Rule {Rule} fired for its scheduled occurrence {ScheduledAt:O}")]
    private partial void LogFired(string rule, DateTimeOffset scheduledAt);

    [LoggerMessage(EventId = 7502, Level = LogLevel.Warning, Message = "Rule {Rule}: {Count} occurrences came while no invoker fired schedules (since {Last:O}); it fires once, for the latest ({Latest:O})")]
    private partial void LogFolded(string rule, int count, DateTimeOffset last, DateTimeOffset latest);

    [LoggerMessage(EventId = 7503, Level = LogLevel.Debug, Message = "Another replica holds the scheduler's lock: this one does not fire schedules")]
    private partial void LogNotLeader();

    [LoggerMessage(EventId = 7504, Level = LogLevel.Error, Message = "The scheduler failed; it tries again at the next interval")]
    private partial void LogLoopFailed(Exception exception);
}
