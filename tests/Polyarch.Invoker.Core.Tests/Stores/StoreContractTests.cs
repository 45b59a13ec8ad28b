using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;

namespace Polyarch.Invoker.Core.Tests.Stores;

/// <summary>
/// What every invoker store does for the core (actions, activations, accepted calls, retention), whatever its provider:
/// <see cref="SqliteStoreTests"/> and <see cref="PostgresStoreTests"/> run these against a fresh store each. What it does for
/// the triggers (rules, pushes, firings) is Polyarch.Invoker.Triggers.Tests' TriggerStoreContractTests.
/// </summary>
public abstract class StoreContractTests : IAsyncLifetime
{
    internal static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private StoreDatabase? _database;

    /// <summary>A fresh, empty store per test (<see cref="StoreFixture"/>: a temporary SQLite file or a PostgreSQL database of its own).</summary>
    private protected StoreContractTests(StoreFixture store) => Store = store;

    internal StoreFixture Store { get; }

    internal StoreDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await Store.OpenAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Another replica on the same store (PostgreSQL); SQLite has one process, so the same store.</summary>
    internal Task<StoreDatabase> ReplicaAsync() => Store.ReplicaAsync();

    [Fact]
    public async Task Actions_PutGetListDelete_RoundTrip()
    {
        var store = new DbActionStore(Database, new FakeTimeProvider());
        var action = new ActionDefinition
        {
            Name = "echo",
            Image = "127.0.0.1:5000/demo/echo:latest",
            Protocol = ActionProtocol.Exec,
            MemoryMb = 128,
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi" },
            Placement = new ActionPlacement { Preferred = ["linux/arm64"], AllowEmulation = false },
        };

        await store.PutAsync(action, CancellationToken.None);
        await store.PutAsync(action with { MemoryMb = 512 }, CancellationToken.None);
        var loaded = await store.GetAsync("echo", CancellationToken.None);

        loaded.ShouldNotBeNull();
        loaded.MemoryMb.ShouldBe(512);
        loaded.Protocol.ShouldBe(ActionProtocol.Exec);
        loaded.Environment["GREETING"].ShouldBe("hi");
        loaded.Placement.Preferred.ShouldBe(["linux/arm64"]);
        loaded.Placement.AllowEmulation.ShouldBeFalse();
        (await store.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
        (await store.DeleteAsync("echo", CancellationToken.None)).ShouldBeTrue();
        (await store.DeleteAsync("echo", CancellationToken.None)).ShouldBeFalse();
        (await store.GetAsync("echo", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task AcceptedActivation_StaysUntilItsRecordIsStored_ThenLeavesWithIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var accepted = new AcceptedActivationStore(Database, clock);
        var records = new DbActivationStore(Database);
        var id = ActivationId.New();
        var other = ActivationId.New();
        await accepted.AddAsync(new AcceptedActivation(id, "echo", new JsonObject { ["x"] = 1 }, "linux/arm64", AcceptedActivation.Pending, clock.GetUtcNow()), CancellationToken.None);
        await accepted.AddAsync(new AcceptedActivation(other, "echo", [], null, AcceptedActivation.Pending, clock.GetUtcNow()), CancellationToken.None);

        await accepted.MarkRunningAsync(id, CancellationToken.None);
        var running = await accepted.GetAsync(id, CancellationToken.None);
        await records.SaveManyAsync([new ActivationRecord { ActivationId = id, Action = "echo", Image = "i", Backend = "docker", Status = ActivationStatus.Success }], CancellationToken.None);

        running.ShouldNotBeNull();
        running.State.ShouldBe(AcceptedActivation.Running);
        running.Params["x"]!.GetValue<int>().ShouldBe(1);
        running.Platform.ShouldBe("linux/arm64");
        running.Accepted.ShouldBe(clock.GetUtcNow());
        (await accepted.GetAsync(id, CancellationToken.None)).ShouldBeNull();
        (await records.GetAsync(id, CancellationToken.None)).ShouldNotBeNull();
        (await accepted.ListAsync(CancellationToken.None)).Select(a => a.ActivationId).ShouldBe([other]);
    }

    [Fact]
    public async Task Actions_HostileName_IsStoredAsData()
    {
        var store = new DbActionStore(Database, new FakeTimeProvider());

        (await store.GetAsync("x'; DROP TABLE actions; --", CancellationToken.None)).ShouldBeNull();
        await store.PutAsync(new ActionDefinition { Name = "ok", Image = "r/i" }, CancellationToken.None);
        (await store.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Activations_SaveGetList_NewestFirst_FilteredByAction()
    {
        var store = new DbActivationStore(Database);
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(Record(ActivationId.New(), i % 2 == 0 ? "a" : "b", start.AddSeconds(i)), CancellationToken.None);
        }

        var all = await store.ListAsync(null, 10, CancellationToken.None);
        var onlyA = await store.ListAsync("a", 10, CancellationToken.None);

        all.Count.ShouldBe(5);
        all[0].Start.ShouldBe(start.AddSeconds(4));
        onlyA.Count.ShouldBe(3);
        onlyA.ShouldAllBe(r => r.Action == "a");
        (await store.ListAsync(null, 2, CancellationToken.None)).Count.ShouldBe(2);
        (await store.GetAsync(all[2].ActivationId, CancellationToken.None))!.Result!["n"]!.GetValue<int>().ShouldBe(1);
        (await store.GetAsync(ActivationId.New(), CancellationToken.None)).ShouldBeNull();
    }

    /// <summary>
    /// The newest-first lists come from an index in their order, not from a sort: a sort's cost grows with the table, and on
    /// PostgreSQL a table not yet analyzed made the planner take a parallel plan for it (bench P9: 47–100 ms per newest-50 at
    /// a million records). The plan is asked for with sorting priced out, so it shows a sort only when no index has the order.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Activations_ListNewestFirst_ReadsAnIndexInOrder_WithoutSorting(bool byAction)
    {
        var store = new DbActivationStore(Database);
        await store.SaveManyAsync([.. Enumerable.Range(0, 50).Select(i => Record(ActivationId.New(), $"a{i % 5}", Now.AddSeconds(i)))], CancellationToken.None);
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        if (Database.IsPostgres)
        {
            await connection.ExecuteAsync(null, "SET enable_sort = off; SET enable_incremental_sort = off; SET enable_seqscan = off; ANALYZE activations", CancellationToken.None);
        }

        await using var explain = connection.Command(
            (Database.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + store.ListSql(byAction), ("limit", 50), ("action", "a3"));
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(Database.IsPostgres ? 0 : 3));
            }
        }

        var text = string.Join('\n', plan);
        text.ShouldNotContain("Sort", Case.Sensitive, text);
        text.ShouldNotContain("TEMP B-TREE", Case.Sensitive, text);
        text.ShouldContain("activations", Case.Sensitive, text);
        text.ShouldContain(Database.IsPostgres ? "Index Scan Backward" : "USING INDEX", Case.Sensitive, text);
    }

    [Fact]
    public async Task Activations_SaveMany_StoresTheWholeBatch_AndReplacesBySameId()
    {
        IActivationStore store = new DbActivationStore(Database);
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 300).Select(i => Record(ActivationId.New(), "batch", start.AddMilliseconds(i))).ToList();
        var again = batch[7] with { Status = ActivationStatus.Success };

        await store.SaveManyAsync(batch, CancellationToken.None);
        await store.SaveManyAsync([again], CancellationToken.None);

        (await store.ListAsync("batch", 1000, CancellationToken.None)).Count.ShouldBe(300);
        (await store.GetAsync(batch[299].ActivationId, CancellationToken.None))!.Start.ShouldBe(start.AddMilliseconds(299));
        (await store.GetAsync(again.ActivationId, CancellationToken.None))!.Status.ShouldBe(ActivationStatus.Success);
    }

    [Fact]
    public async Task Activations_SaveMany_OneIdTwiceInABatchOrFromTwoReplicasAtOnce_IsOneRecord_TheBatchsLast()
    {
        var store = new DbActivationStore(Database);
        var replica = new DbActivationStore(await ReplicaAsync());
        var tied = Enumerable.Range(0, 3).Select(_ => Record(ActivationId.New(), "tied", Now)).ToList();
        static ActivationRecord Same(DateTimeOffset start) => Record("0123456789abcdef0123456789abcdef", "twice", start);

        await store.SaveManyAsync([Same(Now), .. tied, Same(Now.AddSeconds(1)) with { Status = ActivationStatus.Success }], CancellationToken.None);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            (i % 2 == 0 ? store : replica).SaveManyAsync([Same(Now.AddSeconds(2)) with { Status = ActivationStatus.Success }], CancellationToken.None))));

        var twice = await store.ListAsync("twice", 10, CancellationToken.None);
        twice.ShouldHaveSingleItem().Start.ShouldBe(Now.AddSeconds(2));
        twice[0].Status.ShouldBe(ActivationStatus.Success);
        // Records that started at the same moment list newest-saved first: the batch's order is the insertion order.
        (await store.ListAsync("tied", 10, CancellationToken.None)).Select(r => r.ActivationId).ShouldBe(tied.Select(r => r.ActivationId).Reverse());
    }

    [Fact]
    public async Task AcceptedActivations_AreTakenOverOnlyAfterTheirLeaseExpired()
    {
        var clock = new FakeTimeProvider(Now);
        var accepted = new AcceptedActivationStore(Database, clock);
        var other = new AcceptedActivationStore(await ReplicaAsync(), clock);
        var id = ActivationId.New();
        await accepted.AddAsync(new AcceptedActivation(id, "echo", [], null, AcceptedActivation.Pending, clock.GetUtcNow()), CancellationToken.None);

        var whileHeld = await other.ClaimAsync(all: false, CancellationToken.None);
        clock.Advance(Database.LeaseDuration + TimeSpan.FromSeconds(1));
        var takenOver = await other.ClaimAsync(all: false, CancellationToken.None);
        var again = await accepted.ClaimAsync(all: false, CancellationToken.None);

        whileHeld.ShouldBeEmpty();
        takenOver.Single().ActivationId.ShouldBe(id);
        again.ShouldBeEmpty();
    }

    [Fact]
    public async Task Retention_PrunesRecordsOlderThanMaxAge_AndBeyondMaxCount_OnTheClock()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new DbActivationStore(Database);
        var accepted = new AcceptedActivationStore(Database, clock);
        var running = ActivationId.New();
        await accepted.AddAsync(new AcceptedActivation(running, "a", [], null, AcceptedActivation.Pending, Now.AddDays(-30)), CancellationToken.None);
        await accepted.MarkRunningAsync(running, CancellationToken.None);
        var ids = new List<string>();
        for (var day = 10; day >= 0; day--)
        {
            var id = ActivationId.New();
            ids.Add(id);
            await store.SaveAsync(Record(id, "a", Now.AddDays(-day)), CancellationToken.None);
        }

        var options = new ActivationRetentionOptions { MaxAge = TimeSpan.FromDays(7), MaxCount = 0 };
        var pruner = new ActivationPruner(store, Database, Options.Create(options), clock, NullLogger<ActivationPruner>.Instance);

        (await pruner.PruneAsync(CancellationToken.None)).ShouldBe(3);
        (await store.ListAsync(null, 100, CancellationToken.None)).Count.ShouldBe(8);
        clock.Advance(TimeSpan.FromDays(2));
        (await pruner.PruneAsync(CancellationToken.None)).ShouldBe(2);
        options.MaxAge = TimeSpan.Zero;
        options.MaxCount = 4;
        (await pruner.PruneAsync(CancellationToken.None)).ShouldBe(2);

        (await store.ListAsync(null, 100, CancellationToken.None)).Select(r => r.ActivationId).ShouldBe(ids.TakeLast(4).Reverse());
        (await accepted.GetAsync(running, CancellationToken.None))!.State.ShouldBe(AcceptedActivation.Running);
    }

    [Fact]
    public async Task Retention_TheBackgroundServicePrunesEveryInterval_OnTheInjectedClock()
    {
        var clock = new FakeTimeProvider(Now);
        var store = new DbActivationStore(Database);
        var options = new ActivationRetentionOptions { MaxAge = TimeSpan.FromDays(7), Interval = TimeSpan.FromHours(1) };
        using var pruner = new ActivationPruner(store, Database, Options.Create(options), clock, NullLogger<ActivationPruner>.Instance);
        var old = ActivationId.New();
        var young = ActivationId.New();
        var ancient = ActivationId.New();
        await store.SaveAsync(Record(ancient, "a", Now.AddDays(-10)), CancellationToken.None);
        await store.SaveAsync(Record(old, "a", Now.AddDays(-6.99)), CancellationToken.None);
        await store.SaveAsync(Record(young, "a", Now), CancellationToken.None);

        await pruner.StartAsync(CancellationToken.None);
        try
        {
            // The first pass at start-up prunes only the ten-day-old record; an hour later on the clock the next is past seven days.
            await WaitAsync(async () => await store.GetAsync(ancient, CancellationToken.None) is null);
            await Task.Delay(200); // the loop's next wait starts on the clock before it moves
            clock.Advance(TimeSpan.FromMinutes(59));
            await Task.Delay(300);
            (await store.GetAsync(old, CancellationToken.None)).ShouldNotBeNull("not pruned before the interval");
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitAsync(async () => await store.GetAsync(old, CancellationToken.None) is null);
        }
        finally
        {
            await pruner.StopAsync(CancellationToken.None);
        }

        (await store.GetAsync(young, CancellationToken.None)).ShouldNotBeNull();
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        (await condition()).ShouldBeTrue("not within 5 s");
    }

    internal static ActivationRecord Record(string id, string action, DateTimeOffset start) => new()
    {
        ActivationId = id,
        Action = action,
        Image = "127.0.0.1:5000/demo/echo:latest",
        IndexDigest = "sha256:i",
        ChildDigest = "sha256:c",
        Platform = "linux/arm64",
        Emulated = true,
        Backend = "docker",
        Node = "n",
        Cold = true,
        Start = start,
        End = start.AddMilliseconds(5),
        Status = ActivationStatus.ApplicationError,
        Result = new JsonObject { ["n"] = 1 },
        Logs = ["stdout: hi"],
    };
}
