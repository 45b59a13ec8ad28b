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
}
