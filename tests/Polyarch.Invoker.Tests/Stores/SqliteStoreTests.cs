using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Tests.Stores;

/// <summary>The store contract on SQLite (invoker.db), plus what only SQLite has: stores of the releases before migrations.</summary>
public sealed class SqliteStoreTests : StoreContractTests
{
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-db-").FullName;

    internal override Task<StoreDatabase> CreateStoreAsync() =>
        Task.FromResult<StoreDatabase>(new InvokerDatabase(Path.Combine(_dir, "nested", "invoker.db")));

    internal override Task<StoreDatabase> ReplicaAsync() => Task.FromResult(Database);

    protected override Task DropStoreAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_store_of_the_release_before_migrations_is_adopted_and_upgraded_in_place()
    {
        var path = Path.Combine(_dir, "old", "invoker.db");
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
        var claimed = await new Polyarch.Invoker.Triggers.PushStore(new Polyarch.Invoker.Triggers.TriggerDatabase(database), TimeProvider.System).ClaimAsync(5, CancellationToken.None);

        action!.Image.ShouldBe("r/i");
        claimed.Single().Push.Repository.ShouldBe("a");
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var versions = connection.CreateCommand();
        versions.CommandText = "SELECT COUNT(*) FROM schemaversions";
        // Every script of the store ran once (the old file got all of them, its data kept).
        ((long)(await versions.ExecuteScalarAsync())!).ShouldBe(typeof(StoreMigrations).Assembly.GetManifestResourceNames().LongCount(n => n.Contains(".Migrations.Sqlite.", StringComparison.Ordinal)));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public void ActivationRecord_Json_HasTheConventionFieldNames()
    {
        var json = JsonSerializer.SerializeToNode(RecordOf("0123456789abcdef0123456789abcdef", "echo", DateTimeOffset.UnixEpoch), InvokerJson.Options)!.AsObject();

        json.Select(p => p.Key).ShouldBe(
            ["activationId", "action", "image", "indexDigest", "childDigest", "platform", "emulated", "backend", "node", "cold",
             "waitMs", "initMs", "runMs", "start", "end", "status", "result", "logs", "truncated"]);
        json["status"]!.GetValue<string>().ShouldBe("application error");
    }

    private static ActivationRecord RecordOf(string id, string action, DateTimeOffset start) => new()
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
