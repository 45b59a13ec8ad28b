using Npgsql;
using Polyarch.Invoker.State;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Stores;

/// <summary>
/// The store contract on the host's PostgreSQL (scripts/postgres.sh), a database of its own per test, plus what only a
/// shared store does: replicas migrate once, claim side by side, and one of them leads.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresStoreTests : StoreContractTests
{
    private readonly List<StoreDatabase> _replicas = [];
    private PostgresDatabase? _server;

    internal override async Task<StoreDatabase> CreateStoreAsync()
    {
        _server = await PostgresServer.CreateDatabaseAsync();
        return new PostgresInvokerDatabase(_server.ConnectionString) { LeaseDuration = TimeSpan.FromSeconds(30) };
    }

    internal override Task<StoreDatabase> ReplicaAsync()
    {
        var replica = new PostgresInvokerDatabase(_server!.ConnectionString) { LeaseDuration = TimeSpan.FromSeconds(30) };
        _replicas.Add(replica);
        return Task.FromResult<StoreDatabase>(replica);
    }

    protected override async Task DropStoreAsync()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
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

    [Fact]
    public async Task Only_one_replicas_reconciler_holds_the_lock_and_another_takes_it_when_it_steps_down()
    {
        Polyarch.Invoker.Triggers.Reconciler ReconcilerOn(StoreDatabase store)
        {
            var triggers = new Polyarch.Invoker.Triggers.TriggerDatabase(store);
            return new Polyarch.Invoker.Triggers.Reconciler(
                new Polyarch.Invoker.Rules.DbRuleStore(triggers, TimeProvider.System), new Polyarch.Invoker.Triggers.PushStore(triggers, TimeProvider.System), triggers,
                null!, new Polyarch.Invoker.Triggers.TriggerSignal(), Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.Triggers.TriggerOptions()),
                TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<Polyarch.Invoker.Triggers.Reconciler>.Instance);
        }

        using var first = ReconcilerOn(Database);
        using var second = ReconcilerOn(await ReplicaAsync());

        var firstLeads = await first.TryLeadAsync(CancellationToken.None);
        var secondLeads = await second.TryLeadAsync(CancellationToken.None);
        var firstStillLeads = await first.TryLeadAsync(CancellationToken.None);
        await first.StepDownAsync();
        var secondLeadsNow = await second.TryLeadAsync(CancellationToken.None);
        var firstAgain = await first.TryLeadAsync(CancellationToken.None);
        await second.StepDownAsync();

        firstLeads.ShouldBeTrue();
        secondLeads.ShouldBeFalse();
        firstStillLeads.ShouldBeTrue();
        secondLeadsNow.ShouldBeTrue();
        firstAgain.ShouldBeFalse();
    }

    [Fact]
    public async Task Two_replicas_claiming_at_once_never_get_the_same_push()
    {
        var pushes = new Polyarch.Invoker.Triggers.PushStore(new Polyarch.Invoker.Triggers.TriggerDatabase(Database), TimeProvider.System);
        var other = new Polyarch.Invoker.Triggers.PushStore(new Polyarch.Invoker.Triggers.TriggerDatabase(await ReplicaAsync()), TimeProvider.System);
        await pushes.AddAsync(
            [.. Enumerable.Range(0, 60).Select(i => new Polyarch.Registry.Notifications.ImagePush(
                "r", "a", $"t{i}", Polyarch.Registry.References.Digest.Parse($"sha256:{i:x64}"), "m"))],
            "webhook", CancellationToken.None);

        async Task<List<long>> ClaimAllAsync(Polyarch.Invoker.Triggers.PushStore store)
        {
            var ids = new List<long>();
            while ((await store.ClaimAsync(3, CancellationToken.None)) is { Count: > 0 } claimed)
            {
                ids.AddRange(claimed.Select(p => p.Id));
            }

            return ids;
        }

        var claims = await Task.WhenAll(Task.Run(() => ClaimAllAsync(pushes)), Task.Run(() => ClaimAllAsync(other)));

        claims.SelectMany(c => c).Order().ShouldBe(Enumerable.Range(1, 60).Select(i => (long)i));
        claims.ShouldAllBe(c => c.Count > 0);
    }
}
