using Npgsql;

namespace Polyarch.Testing;

/// <summary>
/// The PostgreSQL cluster scripts/postgres.sh runs (part of the container host): every store test that runs against
/// PostgreSQL gets a database of its own from <see cref="CreateDatabaseAsync"/>, dropped when the test ends.
/// </summary>
public static class PostgresServer
{
    private static readonly Lazy<Task<string>> Admin = new(CheckAsync);

    /// <summary>A new, empty database named after this test run; dispose it to drop it.</summary>
    public static async Task<PostgresDatabase> CreateDatabaseAsync()
    {
        var admin = await Admin.Value;
        var name = $"polyarch_test_{TestRun.Id}_{Guid.NewGuid().ToString("N")[..8]}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new PostgresDatabase(admin, name);
    }

    private static async Task<string> CheckAsync()
    {
        var file = Path.Combine(HostSettings.StateDirectory, "secrets", "postgres.connection");
        if (!File.Exists(file))
        {
            throw new ContainerHostMissingException($"PostgreSQL has no connection string in {file}");
        }

        var builder = new NpgsqlConnectionStringBuilder((await File.ReadAllTextAsync(file)).Trim()) { Database = "postgres", Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
        }
        catch (NpgsqlException ex)
        {
            throw new ContainerHostMissingException($"PostgreSQL on {builder.Host}:{builder.Port} does not answer ({ex.Message})");
        }

        return builder.ConnectionString;
    }
}
