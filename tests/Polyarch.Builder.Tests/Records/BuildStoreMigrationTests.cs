using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Records;

/// <summary>A build store made by an earlier release is upgraded in place by the DbUp migrations, its records intact.</summary>
public sealed class BuildStoreMigrationTests : IDisposable
{
    // The schema releases before migrations created at start-up (BuildStoreSchema.Create), verbatim.
    private const string PreviousRelease = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS builds (
            id TEXT PRIMARY KEY,
            source_url TEXT NOT NULL,
            registry TEXT NOT NULL,
            repository TEXT NOT NULL,
            commit_sha TEXT NOT NULL,
            branch TEXT,
            is_default INTEGER NOT NULL,
            platforms TEXT NOT NULL,
            trigger TEXT NOT NULL,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            reuse_of TEXT,
            superseded_by TEXT,
            images TEXT,
            timings TEXT,
            retries TEXT,
            error TEXT,
            warnings TEXT);
        CREATE INDEX IF NOT EXISTS builds_key ON builds (registry, repository, commit_sha, platforms);
        CREATE INDEX IF NOT EXISTS builds_status ON builds (status);
        CREATE TABLE IF NOT EXISTS deliveries (
            delivery_id TEXT PRIMARY KEY,
            build_id TEXT NOT NULL,
            received_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS build_logs (
            build_id TEXT NOT NULL,
            platform TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (build_id, platform));
        """;

    private readonly TempDirectory _state = new();

    private string DatabasePath => _state.Combine("builder", "builds.db");

    [Fact]
    public async Task A_store_made_by_the_previous_release_is_upgraded_in_place_and_keeps_its_builds()
    {
        Seed(PreviousRelease);

        using var services = BuilderServices.Create(_state.Path);
        var store = services.GetRequiredService<IBuildStore>();
        var build = await store.GetAsync("0123456789abcdef", CancellationToken.None);

        build.ShouldNotBeNull();
        build.Status.ShouldBe(BuildStatus.Succeeded);
        build.Request.Repository.ShouldBe("demo/echo");
        build.Warnings.ShouldBe(["slow"]);
        (await store.GetLogsAsync(build.Id, CancellationToken.None))["linux/amd64"].ShouldBe("built");
        Scalar("SELECT COUNT(*) FROM schemaversions").ShouldBe(4L);
        Scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'builds_finished'").ShouldBe(1L);
        (await store.SubmitAsync(new BuildRequest("https://git.example.com/a.git", "127.0.0.1:5000", "demo/echo", new string('c', 40), "main", true, ["linux/amd64"], "test"),
            "delivery-2", CancellationToken.None)).Created.ShouldBeTrue();
    }

    [Fact]
    public async Task A_store_from_before_the_warnings_column_gets_it()
    {
        Seed(PreviousRelease.Replace(",\n    warnings TEXT);", ");", StringComparison.Ordinal), withWarnings: false);

        using var services = BuilderServices.Create(_state.Path);
        var build = await services.GetRequiredService<IBuildStore>().GetAsync("0123456789abcdef", CancellationToken.None);

        build!.Warnings.ShouldBeEmpty();
        Scalar("SELECT COUNT(*) FROM pragma_table_info('builds') WHERE name = 'warnings'").ShouldBe(1L);
    }

    [Fact]
    public void Migrations_run_once()
    {
        Seed(PreviousRelease);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath }.ToString();

        var first = StoreMigrations.UpgradeSqlite(connectionString);
        var second = StoreMigrations.UpgradeSqlite(connectionString);

        first.Count.ShouldBe(4);
        second.ShouldBeEmpty();
    }

    [Fact]
    public void Processes_opening_a_new_store_at_the_same_instant_migrate_it_once()
    {
        // Four connections (as four processes would) race to migrate each of several brand-new files: the first runs
        // every script, the others wait for it and find nothing to do — no script runs twice, none fails.
        var all = StoreMigrations.UpgradeSqlite(new SqliteConnectionStringBuilder { DataSource = _state.Combine("reference.db"), Pooling = false }.ToString());
        for (var round = 0; round < 8; round++)
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = _state.Combine($"race-{round}.db"), Pooling = false, DefaultTimeout = 30 }.ToString();
            using var start = new Barrier(4);
            var racers = Enumerable.Range(0, 4)
                .Select(_ => Task.Factory.StartNew(() => { start.SignalAndWait(); return StoreMigrations.UpgradeSqlite(connectionString); }, TaskCreationOptions.LongRunning))
                .ToArray();

            Should.NotThrow(() => Task.WaitAll(racers), $"round {round}");
            racers.SelectMany(r => r.Result).Order(StringComparer.Ordinal).ShouldBe(all.Order(StringComparer.Ordinal), $"round {round}");
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _state.Dispose();
    }

    private void Seed(string schema, bool withWarnings = true)
    {
        schema.Contains("warnings", StringComparison.Ordinal).ShouldBe(withWarnings);
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = schema + $"""
            INSERT INTO builds (id, source_url, registry, repository, commit_sha, branch, is_default, platforms, trigger, status, created_at, finished_at, attempts, images, timings, retries{(withWarnings ? ", warnings" : "")})
            VALUES ('0123456789abcdef', 'https://git.example.com/echo.git', '127.0.0.1:5000', 'demo/echo', '{new string('a', 40)}', 'main', 1, 'linux/amd64', 'webhook', 'succeeded',
                    '2026-01-01T00:00:00.0000000+00:00', '2026-01-01T00:01:00.0000000+00:00', 1, '[]', '[]', '[]'{(withWarnings ? ", '[\"slow\"]'" : "")});
            INSERT INTO deliveries (delivery_id, build_id, received_at) VALUES ('delivery-1', '0123456789abcdef', '2026-01-01T00:00:00.0000000+00:00');
            INSERT INTO build_logs (build_id, platform, text) VALUES ('0123456789abcdef', 'linux/amd64', 'built');
            """;
        command.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
