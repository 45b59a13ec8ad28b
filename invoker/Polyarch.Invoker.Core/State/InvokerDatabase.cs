using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Polyarch.Invoker.State;

/// <summary>The invoker's SQLite database (invoker.db in the state directory, one process), migrated on first open.</summary>
internal sealed class InvokerDatabase : StoreDatabase
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public InvokerDatabase(string path)
    {
        Path = path;
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        MakePrivate(path);

        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <inheritdoc />
    public override bool IsPostgres => false;

    /// <inheritdoc />
    public override Task<ILeadership?> TryLeadAsync(long key, CancellationToken cancellationToken) =>
        Task.FromResult<ILeadership?>(SoleLeadership.Instance);

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await OpenSqliteAsync(cancellationToken);

    /// <summary>A SQLite connection to the migrated database.</summary>
    public async Task<SqliteConnection> OpenSqliteAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // synchronous is per connection; NORMAL is durable enough with WAL and spares an fsync per write.
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!_schemaReady)
            {
                await EnsureSchemaAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _schemaLock.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// The database holds action environment values (often credentials) and rule params: only its owner may read it.
    /// SQLite creates the -wal and -shm files with the main file's mode, so creating that 0600 before the first open
    /// covers them; files an older version left 0644 are tightened.
    /// </summary>
    private static void MakePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            try
            {
                using var _ = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = ownerOnly });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process created it first; tightened below.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            try
            {
                if (File.Exists(file) && (File.GetUnixFileMode(file) & ~ownerOnly) != 0)
                {
                    File.SetUnixFileMode(file, ownerOnly);
                }
            }
            catch (UnauthorizedAccessException)
            {
                // Another user's database (opened read-only by a CLI, say): not ours to change.
            }
        }
    }

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            // WAL lets the CLI read activations while `serve` writes them.
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode = WAL;";
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            StoreMigrations.UpgradeSqlite(_connectionString);
            _schemaReady = true;
        }
        finally
        {
            _schemaLock.Release();
        }
    }
}

