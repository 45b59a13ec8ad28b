using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>Two replicas on one PostgreSQL store: only the one holding the scheduler's lock fires schedules.</summary>
[Trait("Category", "Integration")]
public sealed class ScheduleLeaderTests : IAsyncLifetime
{
    private PostgresDatabase? _database;

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        _database = await PostgresServer.CreateDatabaseAsync();
    }

    public async Task DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await _database!.DisposeAsync();
    }

    [Fact]
    public async Task OnlyTheLeader_FiresAnOccurrence_AndAnotherReplicaTakesOverWhenItStepsDown()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 0, 0, 30, TimeSpan.Zero));
        var workflowsA = new RecordingWorkflowStarter("report");
        var workflowsB = new RecordingWorkflowStarter("report");
        using var storeA = new PostgresInvokerDatabase(_database!.ConnectionString);
        using var storeB = new PostgresInvokerDatabase(_database.ConnectionString);
        var a = new ScheduleHarness(storeA, time, workflowsA);
        var b = new ScheduleHarness(storeB, time, workflowsB);
        await a.Rules.PutAsync(new RuleDefinition { Name = "every-5", Schedule = "*/5 * * * *", Workflow = "report" }, CancellationToken.None);

        (await a.FireDueAsync()).ShouldBe(0); // A takes the lock: nothing due yet.
        time.SetUtcNow(new DateTimeOffset(2026, 1, 5, 0, 5, 0, TimeSpan.Zero));
        (await b.FireDueAsync()).ShouldBe(0, "B does not lead");
        (await a.FireDueAsync()).ShouldBe(1);
        (await b.FireDueAsync()).ShouldBe(0);

        await a.Scheduler.StepDownAsync();
        time.SetUtcNow(new DateTimeOffset(2026, 1, 5, 0, 10, 0, TimeSpan.Zero));
        (await b.FireDueAsync()).ShouldBe(1);
        await b.Scheduler.StepDownAsync();

        workflowsA.Requests.ShouldHaveSingleItem().Trigger!.ScheduledAt!.Value.Minute.ShouldBe(5);
        workflowsB.Requests.ShouldHaveSingleItem().Trigger!.ScheduledAt!.Value.Minute.ShouldBe(10);
    }
}
