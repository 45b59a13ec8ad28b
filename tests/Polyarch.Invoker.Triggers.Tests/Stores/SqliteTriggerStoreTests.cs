using Microsoft.Data.Sqlite;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Triggers.Tests.Stores;

/// <summary>The triggers' store contract on SQLite (invoker.db), plus a push a store of the release before migrations held.</summary>
public sealed class SqliteTriggerStoreTests : TriggerStoreContractTests
{
    public SqliteTriggerStoreTests()
        : base(StoreFixture.Sqlite())
    {
    }

    private string StoreDirectory => ((SqliteStoreFixture)Store).Directory;

    [Fact]
    public async Task A_push_a_store_of_the_release_before_migrations_held_is_claimed_after_the_upgrade()
    {
        var path = Path.Combine(StoreDirectory, "old", "invoker.db");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            await old.OpenAsync();
            await using var command = old.CreateCommand();
            // The pushes table as the invoker created it before migrations (CREATE TABLE IF NOT EXISTS on first open), with a row.
            command.CommandText = """
                CREATE TABLE pushes (id INTEGER PRIMARY KEY AUTOINCREMENT, registry TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT NOT NULL,
                    digest TEXT NOT NULL, media_type TEXT NOT NULL, source TEXT NOT NULL, received INTEGER NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL DEFAULT 'pending', error TEXT);
                INSERT INTO pushes (registry, repository, tag, digest, media_type, source, received)
                VALUES ('r', 'a', 't', 'sha256:1111111111111111111111111111111111111111111111111111111111111111', 'm', 'webhook', 1);
                """;
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        using var database = new InvokerDatabase(path);
        var claimed = await new PushStore(new TriggerDatabase(database), TimeProvider.System).ClaimAsync(5, CancellationToken.None);

        claimed.Single().Push.Repository.ShouldBe("a");
        claimed.Single().Push.Digest.ToString().ShouldBe("sha256:1111111111111111111111111111111111111111111111111111111111111111");
        SqliteConnection.ClearAllPools();
    }
}
