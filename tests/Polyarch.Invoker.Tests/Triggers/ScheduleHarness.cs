using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// The scheduler's real parts (rule and schedule stores, firings, the runner) on a given store and a fake clock; the
/// workflow engine is the recording fake. Workflow rules need no engine, registry or action, so those are absent.
/// </summary>
internal sealed class ScheduleHarness
{
    public ScheduleHarness(StoreDatabase store, FakeTimeProvider time, RecordingWorkflowStarter workflows)
    {
        var triggers = new TriggerDatabase(store);
        var rules = new DbRuleStore(triggers, time);
        var schedules = new ScheduleStore(triggers);
        Firings = new FiringStore(triggers, time);
        var metrics = new TriggerMetrics();
        Runner = new FiringRunner(null!, null!, null!, null!, null!, Firings, workflows, triggers, metrics, time, NullLogger<FiringRunner>.Instance);
        var planner = new FiringPlanner(null!, null!, null!, NullLogger<FiringPlanner>.Instance);
        Scheduler = new ScheduleRunner(rules, schedules, Firings, planner, Runner, triggers, metrics, Options.Create(new TriggerOptions()), time, NullLogger<ScheduleRunner>.Instance);
        Rules = new RuleService(rules, null!, schedules, workflows, time, NullLogger<RuleService>.Instance);
    }

    public RuleService Rules { get; }

    public FiringStore Firings { get; }

    public FiringRunner Runner { get; }

    public ScheduleRunner Scheduler { get; }

    /// <summary>One scheduler pass, and the firings it started run to the end.</summary>
    public async Task<int> FireDueAsync()
    {
        var fired = await Scheduler.FireDueAsync(CancellationToken.None);
        await Runner.WhenIdleAsync();
        return fired;
    }
}
