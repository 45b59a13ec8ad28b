using DbUp;
using DbUp.Builder;
using DbUp.Engine;
using DbUp.Sqlite.Helpers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Polyarch.Builder.Records;

/// <summary>
/// Brings a build store to the newest schema with DbUp: the versioned scripts under Records/Migrations/&lt;provider&gt;/ run once
/// each, in name order, and are recorded in the store's <c>schemaversions</c> table.
/// </summary>
internal static class StoreMigrations
{
    // Any constant both replicas agree on: the advisory lock that keeps two replicas from migrating at once.
    private const long PostgresMigrationLock = 0x506F6C7942756964; // "PolyBuid"

    /// <summary>
    /// Migrates a SQLite build store (one process at a time: the migration holds the database's write lock); returns the
    /// names of the scripts it ran.
    /// </summary>
    public static IReadOnlyList<string> UpgradeSqlite(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");

        // Two processes opening a brand-new store at once would both find no schemaversions and both run every script (the
        // second ALTER TABLE fails). BEGIN IMMEDIATE takes the write lock first: the other process waits for it (busy
        // timeout), then reads the journal the first one committed and has nothing to run. DbUp runs on this connection,
        // inside that transaction, so a failed migration also leaves nothing half done.
        Execute(connection, "BEGIN IMMEDIATE;");
        try
        {
            var scripts = Run(DeployChanges.To.SqliteDatabase(new SharedConnection(connection))
                .WithScriptsEmbeddedInAssembly(typeof(StoreMigrations).Assembly, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal))
                .WithScript(AddWarningsColumn.Name, new AddWarningsColumn()), "SQLite");
            Execute(connection, "COMMIT;");
            return scripts;
        }
        catch
        {
            Execute(connection, "ROLLBACK;");
            throw;
        }
    }

    /// <summary>Migrates a PostgreSQL build store (one replica at a time); returns the names of the scripts it ran.</summary>
    public static async Task<IReadOnlyList<string>> UpgradePostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", connection) { Parameters = { new("k", PostgresMigrationLock) } })
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            return Run(DeployChanges.To.PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(StoreMigrations).Assembly, name => name.Contains(".Migrations.Postgres.", StringComparison.Ordinal))
                .WithTransactionPerScript(), "PostgreSQL");
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection) { Parameters = { new("k", PostgresMigrationLock) } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    // Plain SQL, not SqliteConnection.BeginTransaction: DbUp's commands on the shared connection must not need a transaction object.
    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static IReadOnlyList<string> Run(UpgradeEngineBuilder builder, string provider)
    {
        var result = builder.LogToNowhere().Build().PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migrating the {provider} build store failed in script {result.ErrorScript?.Name ?? "(none)"}: {result.Error?.Message}. " +
                "The store is left at the last script that succeeded; fix the cause (permissions, disk space, a hand-edited schema) and start again.",
                result.Error);
        }

        return [.. result.Scripts.Select(s => s.Name)];
    }
}
