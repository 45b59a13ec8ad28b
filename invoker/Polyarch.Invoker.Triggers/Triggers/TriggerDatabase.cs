using Microsoft.Data.Sqlite;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Triggers;

/// <summary>The trigger tables (rules, pushes, seen tags, firings) in the invoker's database, created on first use.</summary>
internal sealed class TriggerDatabase(InvokerDatabase database) : IDisposable
{
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken);
        if (_schemaReady)
        {
            return connection;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = """
                    CREATE TABLE IF NOT EXISTS rules (
                        name TEXT PRIMARY KEY,
                        definition TEXT NOT NULL,
                        updated INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS pushes (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        registry TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        tag TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        media_type TEXT NOT NULL,
                        source TEXT NOT NULL,
                        received INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        state TEXT NOT NULL DEFAULT 'pending',
                        error TEXT);
                    CREATE INDEX IF NOT EXISTS pushes_by_state ON pushes (state, id);
                    CREATE TABLE IF NOT EXISTS seen_tags (
                        registry TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        tag TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        PRIMARY KEY (registry, repository, tag));
                    CREATE TABLE IF NOT EXISTS firings (
                        rule TEXT NOT NULL,
                        repository TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        push_id INTEGER NOT NULL,
                        target TEXT NOT NULL,
                        params TEXT NOT NULL,
                        activations TEXT NOT NULL,
                        state TEXT NOT NULL,
                        created INTEGER NOT NULL,
                        PRIMARY KEY (rule, repository, digest));
                    """;
                await command.ExecuteNonQueryAsync(cancellationToken);
                _schemaReady = true;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        finally
        {
            _schemaLock.Release();
        }

        return connection;
    }

    public void Dispose() => _schemaLock.Dispose();
}
