using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>Cron rules on the TimeProvider clock (SQLite store, the one process that leads): occurrences, restarts, downtime.</summary>
public sealed class ScheduleTests : IDisposable
{
    private static readonly DateTimeOffset Monday = new(2026, 1, 5, 0, 0, 30, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-schedules-").FullName;

    private string DatabasePath => Path.Combine(_dir, "invoker.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task CronRule_FiresOnceAtEachOccurrence_OnTheFakeClock_WithTheScheduleAsTrigger()
    {
        var time = new FakeTimeProvider(Monday);
        var workflows = new RecordingWorkflowStarter("report");
        using var store = new InvokerDatabase(DatabasePath);
        var harness = new ScheduleHarness(store, time, workflows);
        await harness.Rules.PutAsync(new RuleDefinition { Name = "every-5", Schedule = "*/5 * * * *", Workflow = "report" }, CancellationToken.None);

        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(Monday.AddSeconds(268)); // 00:04:58
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(0, 5));
        (await harness.FireDueAsync()).ShouldBe(1);
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(0, 9, 59));
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(0, 10));
        (await harness.FireDueAsync()).ShouldBe(1);

        workflows.Requests.Select(r => r.Trigger!.ScheduledAt).ShouldBe([At(0, 5), At(0, 10)]);
        var first = workflows.Requests[0];
        first.Workflow.ShouldBe("report");
        first.Trigger!.Kind.ShouldBe(WorkflowTrigger.ScheduleKind);
        first.Trigger.Rule.ShouldBe("every-5");
        first.Trigger.Repository.ShouldBeNull();
        first.IdempotencyKey.ShouldBe("rule:every-5:(schedule)@2026-01-05T00:05:00Z");
    }

    [Fact]
    public async Task Restart_NeitherRepeatsNorMissesAnOccurrence_AndADowntimeBacklogFiresOnce_AsTheLatest()
    {
        var time = new FakeTimeProvider(Monday);
        var before = new RecordingWorkflowStarter("report");
        using (var store = new InvokerDatabase(DatabasePath))
        {
            var harness = new ScheduleHarness(store, time, before);
            await harness.Rules.PutAsync(new RuleDefinition { Name = "every-5", Schedule = "*/5 * * * *", Workflow = "report" }, CancellationToken.None);
            time.SetUtcNow(At(0, 5, 1));
            (await harness.FireDueAsync()).ShouldBe(1);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var after = new RecordingWorkflowStarter("report");
        using (var store = new InvokerDatabase(DatabasePath))
        {
            var harness = new ScheduleHarness(store, time, after);
            time.SetUtcNow(At(0, 5, 30));
            (await harness.FireDueAsync()).ShouldBe(0, "00:05 fired before the restart");

            // Down from 00:05:30 to 00:31:10: 00:10 … 00:30 came and went (five occurrences); one run, for 00:30.
            time.SetUtcNow(At(0, 31, 10));
            (await harness.FireDueAsync()).ShouldBe(1);
            (await harness.FireDueAsync()).ShouldBe(0);
            time.SetUtcNow(At(0, 35));
            (await harness.FireDueAsync()).ShouldBe(1);
        }

        before.Requests.Select(r => r.Trigger!.ScheduledAt).ShouldBe([At(0, 5)]);
        after.Requests.Select(r => r.Trigger!.ScheduledAt).ShouldBe([At(0, 30), At(0, 35)]);
    }

    [Fact]
    public async Task FiringStoredButNotRecorded_IsNotStartedAgain_ItsKeyHoldsIt()
    {
        // A crash after the firing was stored, before the schedule's last occurrence moved: the next pass computes the
        // same occurrence, finds its firing and starts nothing.
        var time = new FakeTimeProvider(Monday);
        var workflows = new RecordingWorkflowStarter("report");
        using var store = new InvokerDatabase(DatabasePath);
        var harness = new ScheduleHarness(store, time, workflows);
        await harness.Rules.PutAsync(new RuleDefinition { Name = "every-5", Schedule = "*/5 * * * *", Workflow = "report" }, CancellationToken.None);
        var firing = new Polyarch.Invoker.Triggers.Firing("every-5", Polyarch.Invoker.Triggers.Firing.ScheduleRepository, "2026-01-05T00:05:00Z", "report", [], [], "report",
            new WorkflowTrigger(WorkflowTrigger.ScheduleKind, "every-5", ScheduledAt: At(0, 5)));
        (await harness.Firings.TryAddAsync(firing, 0, CancellationToken.None)).ShouldBeTrue();

        time.SetUtcNow(At(0, 6));
        (await harness.FireDueAsync()).ShouldBe(0);
        workflows.Requests.ShouldBeEmpty();
    }

    [Fact]
    public async Task TimeZone_PlacesTheOccurrences_InThatZone()
    {
        // 09:00 in Berlin is 08:00 UTC in winter.
        var time = new FakeTimeProvider(At(7, 0));
        var workflows = new RecordingWorkflowStarter("report");
        using var store = new InvokerDatabase(DatabasePath);
        var harness = new ScheduleHarness(store, time, workflows);
        await harness.Rules.PutAsync(new RuleDefinition { Name = "morning", Schedule = "0 9 * * *", TimeZone = "Europe/Berlin", Workflow = "report" }, CancellationToken.None);

        time.SetUtcNow(At(7, 59, 59));
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(8, 0));
        (await harness.FireDueAsync()).ShouldBe(1);
        workflows.Requests.ShouldHaveSingleItem().Trigger!.ScheduledAt.ShouldBe(At(8, 0));
    }

    [Fact]
    public async Task ReplacingARule_WithTheSameSchedule_KeepsItsLastOccurrence_AndAnotherScheduleStartsAfresh()
    {
        var time = new FakeTimeProvider(Monday);
        var workflows = new RecordingWorkflowStarter("report");
        using var store = new InvokerDatabase(DatabasePath);
        var harness = new ScheduleHarness(store, time, workflows);
        var rule = new RuleDefinition { Name = "every-5", Schedule = "*/5 * * * *", Workflow = "report" };
        await harness.Rules.PutAsync(rule, CancellationToken.None);
        time.SetUtcNow(At(0, 5));
        (await harness.FireDueAsync()).ShouldBe(1);

        await harness.Rules.PutAsync(rule, CancellationToken.None);
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(0, 7));
        await harness.Rules.PutAsync(rule with { Schedule = "0 * * * *" }, CancellationToken.None);
        (await harness.FireDueAsync()).ShouldBe(0);
        time.SetUtcNow(At(1, 0));
        (await harness.FireDueAsync()).ShouldBe(1);
        workflows.Requests.Select(r => r.Trigger!.ScheduledAt).ShouldBe([At(0, 5), At(1, 0)]);
    }

    [Fact]
    public async Task RuleNamingAnUndefinedWorkflow_IsRefused_NamingTheFlagAndTheFix()
    {
        using var store = new InvokerDatabase(DatabasePath);
        var harness = new ScheduleHarness(store, new FakeTimeProvider(Monday), new RecordingWorkflowStarter("report"));

        var error = await Should.ThrowAsync<InvalidRuleException>(() =>
            harness.Rules.PutAsync(new RuleDefinition { Name = "nightly", Schedule = "@daily", Workflow = "retrain" }, CancellationToken.None));

        error.Message.ShouldContain("Workflow (--workflow) 'retrain' is not defined");
        error.Message.ShouldContain("workflows create retrain");
        (await harness.Rules.GetAsync("nightly", CancellationToken.None)).ShouldBeNull();
    }

    private static DateTimeOffset At(int hour, int minute, int second = 0) => new(2026, 1, 5, hour, minute, second, TimeSpan.Zero);
}
