using DbUp;
using DbUp.Builder;
using Npgsql;

namespace Polyarch.Invoker.State;

/// <summary>
/// Brings the invoker's store to the newest schema with DbUp, as the builder's: the versioned scripts under
/// State/Migrations/&lt;provider&gt;/ run once each, in name order, and are recorded in the store's <c>schemaversions</c> table.
/// </summary>
internal static class StoreMigrations
{
    /// <summary>Migrates a SQLite store; returns the names of the scripts it ran.</summary>
    public static IReadOnlyList<string> UpgradeSqlite(string connectionString) =>
        Run(DeployChanges.To.SqliteDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(StoreMigrations).Assembly, name => name.Contains(".Migrations.Sqlite.", StringComparison.Ordinal)), "SQLite");

    /// <summary>Migrates a PostgreSQL store (one replica at a time: an advisory lock); returns the names of the scripts it ran.</summary>
    public static async Task<IReadOnlyList<string>> UpgradePostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_lock(@k)", connection) { Parameters = { new("k", LeaderKeys.Migration) } })
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
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection) { Parameters = { new("k", LeaderKeys.Migration) } };
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private static IReadOnlyList<string> Run(UpgradeEngineBuilder builder, string provider)
    {
        var result = builder.LogToNowhere().Build().PerformUpgrade();
        if (!result.Successful)
        {
            throw new InvalidOperationException(
                $"Migrating the {provider} invoker store failed in script {result.ErrorScript?.Name ?? "(none)"}: {result.Error?.Message}. " +
                "The store is left at the last script that succeeded; fix the cause (permissions, disk space, a hand-edited schema) and start again.",
                result.Error);
        }

        return [.. result.Scripts.Select(s => s.Name)];
    }
}
