using Polyarch.Invoker.Activations;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;

namespace Polyarch.Invoker.Core.Tests.Stores;

/// <summary>
/// The store contract on the host's PostgreSQL (scripts/postgres.sh), a database of its own per test, plus what only a
/// shared store does: replicas migrate once and one of them leads (the triggers' claims and reconciler lock:
/// Polyarch.Invoker.Triggers.Tests' PostgresTriggerStoreTests).
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresStoreTests : StoreContractTests
{
    public PostgresStoreTests()
        : base(StoreFixture.Postgres())
    {
    }

    [Fact]
    public async Task A_big_prune_vacuums_the_activations_so_their_space_is_reused_and_a_small_one_leaves_it_to_autovacuum()
    {
        var store = new DbActivationStore(Database) { VacuumAfter = 5 };
        for (var day = 10; day >= 1; day--)
        {
            await store.SaveAsync(Record(ActivationId.New(), "a", Now.AddDays(-day)), CancellationToken.None);
        }

        (await store.PruneAsync(Now.AddDays(-8), null, CancellationToken.None)).ShouldBe(2);
        var afterSmall = await LastVacuumAsync();
        (await store.PruneAsync(Now.AddDays(-2), null, CancellationToken.None)).ShouldBe(6);
        var afterBig = await LastVacuumAsync();

        afterSmall.ShouldBeNull("2 pruned, below VacuumAfter: autovacuum's business");
        afterBig.ShouldNotBeNull("6 pruned: the store vacuumed the table itself");
        (await store.ListAsync(null, 100, CancellationToken.None)).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Replicas_starting_together_migrate_the_store_once()
    {
        var replicas = new[] { Database, await ReplicaAsync(), await ReplicaAsync() };

        await Task.WhenAll(replicas.Select(r => Task.Run(async () => { await using var c = await r.OpenAsync(CancellationToken.None); })));

        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using var command = connection.Command("SELECT COUNT(*) FROM schemaversions");
        // Each script recorded once, whichever replica ran it.
        ((long)(await command.ExecuteScalarAsync())!).ShouldBe(typeof(StoreMigrations).Assembly.GetManifestResourceNames().LongCount(n => n.Contains(".Migrations.Postgres.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Only_one_replica_leads_until_it_steps_down_or_its_connection_drops()
    {
        var second = await ReplicaAsync();
        var third = await ReplicaAsync();

        var first = await Database.TryLeadAsync(LeaderKeys.Reconciler, CancellationToken.None);
        var refused = await second.TryLeadAsync(LeaderKeys.Reconciler, CancellationToken.None);
        var otherWork = await second.TryLeadAsync(LeaderKeys.Retention, CancellationToken.None);
        await first!.DisposeAsync();
        var next = await second.TryLeadAsync(LeaderKeys.Reconciler, CancellationToken.None);
        // The leader's connection drops (as when its replica is killed): PostgreSQL releases the lock.
        await using (var admin = await Database.OpenAsync(CancellationToken.None))
        {
            await using var kill = admin.Command(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = @low AND granted",
                ("low", (long)(uint)(LeaderKeys.Reconciler & 0xFFFFFFFF)));
            await kill.ExecuteNonQueryAsync();
        }

        var stillHeld = await next!.IsHeldAsync(CancellationToken.None);
        var afterDrop = await third.TryLeadAsync(LeaderKeys.Reconciler, CancellationToken.None);

        first.ShouldNotBeNull();
        refused.ShouldBeNull();
        otherWork.ShouldNotBeNull();
        stillHeld.ShouldBeFalse();
        afterDrop.ShouldNotBeNull();
        await otherWork.DisposeAsync();
        await next.DisposeAsync();
        await afterDrop.DisposeAsync();
    }

    /// <summary>When a VACUUM (not autovacuum) last ran on the activations, or null; the statistics are read fresh.</summary>
    private async Task<DateTime?> LastVacuumAsync()
    {
        await using var connection = await Database.OpenAsync(CancellationToken.None);
        await using (var clear = connection.Command("SELECT pg_stat_clear_snapshot()"))
        {
            await clear.ExecuteScalarAsync();
        }

        await using var command = connection.Command("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'activations'");
        return await command.ExecuteScalarAsync() is DateTime time ? time : null;
    }
}
