using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>Runs in the store, on SQLite and on PostgreSQL (migrations 0003 / 0002): idempotent starts, one driver per run by lease, cancel flags.</summary>
public sealed class WorkflowStoreTests
{
    [Fact]
    public async Task Sqlite_keeps_runs_idempotent_leased_and_cancellable()
    {
        await using var store = StoreFixture.Sqlite();
        await ContractAsync(await store.OpenAsync(), await store.OpenAsync());
    }

    [Fact]
    [Trait("Category", "Integration")]
    public async Task Postgres_keeps_runs_idempotent_leased_and_cancellable()
    {
        await using var store = StoreFixture.Postgres();
        await ContractAsync(await store.OpenAsync(), await store.OpenAsync());
    }

    private static async Task ContractAsync(StoreDatabase firstDatabase, StoreDatabase secondDatabase)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var first = new WorkflowStore(firstDatabase, clock);
        var second = new WorkflowStore(secondDatabase, clock);
        var definition = new WorkflowDefinition { Name = "w", Steps = [new WorkflowStepDefinition { Name = "a", Action = "x" }] };
        await first.PutAsync(definition, CancellationToken.None);
        (await second.GetAsync("w", CancellationToken.None))!.Steps.Single().Action.ShouldBe("x");

        // Idempotent by key: the second start with the same key is the first run.
        var run = Run("r1", clock);
        (await first.CreateRunAsync(run, definition, "key-1", lease: true, CancellationToken.None)).ShouldBe(("r1", true));
        (await second.CreateRunAsync(Run("r2", clock), definition, "key-1", lease: true, CancellationToken.None)).ShouldBe(("r1", false));
        (await second.CreateRunAsync(Run("r3", clock), definition, null, lease: false, CancellationToken.None)).ShouldBe(("r3", true));
        (await first.CreateRunAsync(Run("r4", clock), definition, null, lease: false, CancellationToken.None)).ShouldBe(("r4", true));

        // One driver: r1 is leased to the first replica; the second takes only what nobody holds, once.
        (await second.ClaimAsync(CancellationToken.None)).ShouldBe(["r3", "r4"], ignoreOrder: true);
        (await first.ClaimAsync(CancellationToken.None)).ShouldBeEmpty();
        (await second.RenewAsync("r1", CancellationToken.None)).ShouldBeFalse();
        (await first.RenewAsync("r1", CancellationToken.None)).ShouldBeTrue();

        // An expired lease (its replica died) or one given up is taken over.
        clock.Advance(TimeSpan.FromSeconds(31));
        (await second.ClaimAsync("r1", CancellationToken.None)).ShouldBeTrue();
        (await first.RenewAsync("r1", CancellationToken.None)).ShouldBeFalse();
        await second.ReleaseAsync("r1", CancellationToken.None);
        (await first.ClaimAsync("r1", CancellationToken.None)).ShouldBeTrue();

        // The record round-trips; a finished run is neither claimed nor cancellable.
        run.Status = WorkflowRunStatus.Succeeded;
        run.Step("a").Runs.Add(new WorkflowStepRun { Platform = "linux/arm64", ActivationId = "act", Attempt = 1, Status = WorkflowRunStatus.Succeeded });
        await first.SaveRunAsync(run, CancellationToken.None);
        var read = (await second.GetRunAsync("r1", CancellationToken.None))!;
        read.Status.ShouldBe(WorkflowRunStatus.Succeeded);
        read.Step("a").Runs.Single().Platform.ShouldBe("linux/arm64");
        (await second.RequestCancelAsync("r1", CancellationToken.None)).ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(31));
        (await second.ClaimAsync(CancellationToken.None)).ShouldNotContain("r1");

        (await first.RequestCancelAsync("r3", CancellationToken.None)).ShouldBeTrue();
        (await second.IsCancelRequestedAsync("r3", CancellationToken.None)).ShouldBeTrue();
        (await second.IsCancelRequestedAsync("r4", CancellationToken.None)).ShouldBeFalse();
        (await second.ListRunsAsync("w", 10, CancellationToken.None)).Count.ShouldBe(3);
        (await second.GetRunDefinitionAsync("r4", CancellationToken.None))!.Name.ShouldBe("w");
    }

    private static WorkflowRun Run(string id, TimeProvider clock) => new()
    {
        Id = id,
        Workflow = "w",
        StartedAt = clock.GetUtcNow(),
        Results = "127.0.0.1:5000/workflows/w",
        Steps = [new WorkflowStepState { Name = "a" }],
    };
}
