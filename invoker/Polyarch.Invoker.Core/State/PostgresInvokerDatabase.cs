using System.Data.Common;
using Npgsql;

namespace Polyarch.Invoker.State;

/// <summary>
/// The invoker's store in PostgreSQL (Store:Provider=postgres), shared by replicas: migrated once (one replica at a
/// time) on first use; work is claimed with leases (<c>FOR UPDATE SKIP LOCKED</c>) and single-replica work is led
/// through session advisory locks.
/// </summary>
internal sealed class PostgresInvokerDatabase : StoreDatabase
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<Task> _migrated;

    public PostgresInvokerDatabase(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _migrated = new Lazy<Task>(() => StoreMigrations.UpgradePostgresAsync(connectionString, CancellationToken.None));
    }

    /// <inheritdoc />
    public override bool IsPostgres => true;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task<ILeadership?> TryLeadAsync(long key, CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        // A connection of its own, outside the pool: the session lock lives as long as it does, and PostgreSQL
        // releases it when the replica dies and its connection drops.
        var connection = _dataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@k)", connection) { Parameters = { new("k", key) } };
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return new Leadership(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dataSource.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Leadership(NpgsqlConnection connection, long key) : ILeadership
    {
        public async Task<bool> IsHeldAsync(CancellationToken cancellationToken)
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                return false;
            }

            try
            {
                await using var command = new NpgsqlCommand("SELECT 1", connection);
                await command.ExecuteScalarAsync(cancellationToken);
                return true;
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                if (connection.State == System.Data.ConnectionState.Open)
                {
                    await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@k)", connection) { Parameters = { new("k", key) } };
                    await command.ExecuteNonQueryAsync(CancellationToken.None);
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // The connection is gone, and the lock with it.
            }
            finally
            {
                await connection.DisposeAsync();
            }
        }
    }
}
