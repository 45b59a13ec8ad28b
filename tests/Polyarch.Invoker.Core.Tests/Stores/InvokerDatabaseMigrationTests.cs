using Microsoft.Data.Sqlite;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Core.Tests.Stores;

/// <summary>Processes that open a brand-new invoker.db at the same instant migrate it once: no script runs twice, none fails.</summary>
public sealed class InvokerDatabaseMigrationTests : IDisposable
{
    private const int Processes = 4;
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-db-migrate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Connections_migrating_a_new_database_at_once_run_each_script_once()
    {
        var all = StoreMigrations.UpgradeSqlite(ConnectionString("reference.db"));
        for (var round = 0; round < 8; round++)
        {
            var connectionString = ConnectionString($"race-{round}.db");
            using var start = new Barrier(Processes);
            var racers = Enumerable.Range(0, Processes)
                .Select(_ => Task.Factory.StartNew(() => { start.SignalAndWait(); return StoreMigrations.UpgradeSqlite(connectionString); }, TaskCreationOptions.LongRunning))
                .ToArray();

            Should.NotThrow(() => Task.WaitAll(racers), $"round {round}");
            racers.SelectMany(r => r.Result).Order(StringComparer.Ordinal).ShouldBe(all.Order(StringComparer.Ordinal), $"round {round}");
        }
    }

    [Fact]
    public async Task Invokers_opening_a_new_database_at_once_all_get_a_migrated_store()
    {
        var path = Path.Combine(_dir, "invoker.db");
        var databases = Enumerable.Range(0, Processes).Select(_ => new InvokerDatabase(path)).ToList();
        try
        {
            var opened = await Task.WhenAll(databases.Select(d => Task.Run(async () =>
            {
                await using var connection = await d.OpenAsync(CancellationToken.None);
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM schemaversions";
                return (long)(await command.ExecuteScalarAsync())!;
            })));

            opened.ShouldAllBe(count => count == opened[0] && count > 0);
        }
        finally
        {
            databases.ForEach(d => d.Dispose());
        }
    }

    private string ConnectionString(string file) =>
        new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, file), Pooling = false, DefaultTimeout = 30 }.ToString();
}
