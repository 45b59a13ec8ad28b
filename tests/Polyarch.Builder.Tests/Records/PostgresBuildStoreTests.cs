using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Records;

/// <summary>The build-store tests on the host's PostgreSQL (scripts/postgres.sh), plus what only a shared store does: leases.</summary>
[Trait("Category", "Integration")]
public sealed class PostgresBuildStoreTests : BuildStoreTests
{
    private const string Lease = "00:00:01";
    private PostgresDatabase? _database;

    protected override async Task<IReadOnlyDictionary<string, string?>> StartStoreAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        return new Dictionary<string, string?>
        {
            ["Store:Provider"] = "postgres",
            ["Store:ConnectionString"] = _database.ConnectionString,
            ["Store:LeaseDuration"] = Lease,
        };
    }

    protected override async Task StopStoreAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_postgres_provider_is_the_one_registered()
    {
        Store.ShouldBeOfType<BuildStore>().Database.ShouldBeOfType<PostgresBuildDatabase>();
        await Store.ListAsync(1, CancellationToken.None);
    }

    [Fact]
    public async Task Replicas_starting_together_migrate_the_store_once()
    {
        using var second = Replica();
        using var third = Replica();

        await Task.WhenAll(new[] { Store, second.GetRequiredService<IBuildStore>(), third.GetRequiredService<IBuildStore>() }
            .Select(store => Task.Run(() => store.ListAsync(1, CancellationToken.None))));

        await using var connection = new Npgsql.NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM schemaversions", connection);
        ((long)(await command.ExecuteScalarAsync())!).ShouldBe(3L);
    }

    [Fact]
    public async Task Two_replicas_claiming_at_once_never_get_the_same_build()
    {
        var submitted = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            submitted.Add((await Store.SubmitAsync(Request(i.ToString("x40", System.Globalization.CultureInfo.InvariantCulture), $"b{i}"), null, CancellationToken.None)).Build.Id);
        }

        using var other = Replica();
        var second = other.GetRequiredService<IBuildStore>();

        var claims = await Task.WhenAll(ClaimAllAsync(Store), ClaimAllAsync(second));

        // Disjoint, and every build claimed exactly once; under load one replica may take them all, which is fine.
        claims[0].Intersect(claims[1]).ShouldBeEmpty();
        claims.SelectMany(c => c).Order(StringComparer.Ordinal).ShouldBe(submitted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_live_replica_keeps_its_build_past_the_lease_duration()
    {
        var submitted = await Store.SubmitAsync(Request(), null, CancellationToken.None);
        (await Store.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(submitted.Build.Id);
        using var other = Replica();
        var second = other.GetRequiredService<IBuildStore>();

        await Task.Delay(TimeSpan.FromSeconds(2.5)); // 2.5 leases: only renewal keeps it.

        (await second.ClaimNextAsync(CancellationToken.None)).ShouldBeNull();
        (await second.RequeueRunningAsync(CancellationToken.None)).ShouldBe(0);
        (await second.RunningIdsAsync(CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_build_whose_replica_died_is_finished_by_another_after_the_lease_and_the_dead_ones_outcome_is_dropped()
    {
        var submitted = await Store.SubmitAsync(Request(), null, CancellationToken.None);
        var dying = Replica();
        var dead = (BuildStore)dying.GetRequiredService<IBuildStore>();
        (await dead.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(submitted.Build.Id);
        var survivor = (BuildStore)Store;

        (await survivor.ClaimNextAsync(CancellationToken.None)).ShouldBeNull();
        await StopRenewingAsync(dead); // What kill -9 does to a replica: its renewals stop.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var taken = await survivor.ClaimNextAsync(CancellationToken.None);

        taken!.Id.ShouldBe(submitted.Build.Id);
        taken.Attempts.ShouldBe(2);
        await survivor.FinishAsync(taken.Id, BuildStatus.Succeeded, [], [], [], [], null, new Dictionary<string, string> { [""] = "survivor" }, CancellationToken.None);
        var record = await survivor.GetAsync(taken.Id, CancellationToken.None);
        record!.Status.ShouldBe(BuildStatus.Succeeded);
        (await survivor.GetLogsAsync(taken.Id, CancellationToken.None))[""].ShouldBe("survivor");
        await dying.DisposeAsync();
    }

    [Fact]
    public async Task A_replica_that_lost_its_lease_cannot_overwrite_the_new_owners_outcome()
    {
        var submitted = await Store.SubmitAsync(Request(), null, CancellationToken.None);
        await using var paused = Replica();
        var slow = (BuildStore)paused.GetRequiredService<IBuildStore>();
        await slow.ClaimNextAsync(CancellationToken.None);
        await StopRenewingAsync(slow); // A replica paused longer than its lease (GC, a frozen VM).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var taken = await Store.ClaimNextAsync(CancellationToken.None);
        taken!.Id.ShouldBe(submitted.Build.Id);

        await slow.FinishAsync(submitted.Build.Id, BuildStatus.Failed, [], [], [], [], new BuildError("late", 1), new Dictionary<string, string> { [""] = "late" }, CancellationToken.None);

        var record = await Store.GetAsync(submitted.Build.Id, CancellationToken.None);
        record!.Status.ShouldBe(BuildStatus.Running);
        (await Store.GetLogsAsync(submitted.Build.Id, CancellationToken.None)).ShouldBeEmpty();
    }

    private static async Task<List<string>> ClaimAllAsync(IBuildStore store)
    {
        var ids = new List<string>();
        while (await store.ClaimNextAsync(CancellationToken.None) is { } build)
        {
            ids.Add(build.Id);
        }

        return ids;
    }

    private static Task StopRenewingAsync(BuildStore store) => store.StopRenewingAsync();
}
