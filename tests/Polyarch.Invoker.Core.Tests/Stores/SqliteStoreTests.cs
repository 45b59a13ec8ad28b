using System.Text.Json;
using Microsoft.Data.Sqlite;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;

namespace Polyarch.Invoker.Core.Tests.Stores;

/// <summary>The store contract on SQLite (invoker.db), plus what only SQLite has: stores of the releases before migrations.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    public SqliteStoreTests()
        : base(StoreFixture.Sqlite())
    {
    }

    private string StoreDirectory => ((SqliteStoreFixture)Store).Directory;

    [Fact]
    public async Task A_store_of_the_release_before_migrations_is_adopted_and_upgraded_in_place()
    {
        var path = Path.Combine(StoreDirectory, "old", "invoker.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            // The schema the invoker created before migrations (CREATE TABLE IF NOT EXISTS on first open), with a row.
            command.CommandText = """
                CREATE TABLE actions (name TEXT PRIMARY KEY, definition TEXT NOT NULL, updated INTEGER NOT NULL);
                CREATE TABLE pushes (id INTEGER PRIMARY KEY AUTOINCREMENT, registry TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT NOT NULL,
                    digest TEXT NOT NULL, media_type TEXT NOT NULL, source TEXT NOT NULL, received INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending', error TEXT);
                INSERT INTO actions VALUES ('kept', '{"name":"kept","image":"r/i"}', 1);
                INSERT INTO pushes (registry, repository, tag, digest, media_type, source, received)
                VALUES ('r', 'a', 't', 'sha256:1111111111111111111111111111111111111111111111111111111111111111', 'm', 'webhook', 1);
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        using var database = new InvokerDatabase(path);
        var action = await new Polyarch.Invoker.Actions.DbActionStore(database, TimeProvider.System).GetAsync("kept", CancellationToken.None);

        action!.Image.ShouldBe("r/i");
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var pushes = connection.CreateCommand();
        // The pushes table is the triggers' (Polyarch.Invoker.Triggers.Tests' SqliteTriggerStoreTests claims its row); the
        // core's migration keeps it and its rows.
        pushes.CommandText = "SELECT repository FROM pushes";
        ((string)(await pushes.ExecuteScalarAsync())!).ShouldBe("a");
        await using var versions = connection.CreateCommand();
        versions.CommandText = "SELECT COUNT(*) FROM schemaversions";
        // Every script of the store ran once (the old file got all of them, its data kept).
        ((long)(await versions.ExecuteScalarAsync())!).ShouldBe(typeof(StoreMigrations).Assembly.GetManifestResourceNames().LongCount(n => n.Contains(".Migrations.Sqlite.", StringComparison.Ordinal)));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void ActivationRecord_Json_HasTheConventionFieldNames()
    {
        var json = JsonSerializer.SerializeToNode(Record("0123456789abcdef0123456789abcdef", "echo", DateTimeOffset.UnixEpoch), InvokerJson.Options)!.AsObject();

        json.Select(p => p.Key).ShouldBe(
            ["activationId", "action", "image", "indexDigest", "childDigest", "platform", "emulated", "backend", "node", "cold",
             "waitMs", "initMs", "runMs", "start", "end", "status", "result", "logs", "truncated"]);
        json["status"]!.GetValue<string>().ShouldBe("application error");
    }
}
