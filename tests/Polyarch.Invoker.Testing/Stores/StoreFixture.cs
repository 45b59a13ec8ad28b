using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Testing.Stores;

/// <summary>
/// One fresh, empty invoker store for one test, on SQLite (a temporary invoker.db) or on the container host's PostgreSQL
/// (a database of its own on 127.0.0.1:5433): every store handle it opens runs the migrations on first use, and disposing
/// the fixture disposes them, clears the connection pools and removes the file or drops the database.
/// </summary>
internal abstract class StoreFixture : IAsyncDisposable
{
    private readonly List<StoreDatabase> _opened = [];

    /// <summary>"sqlite" or "postgres".</summary>
    public abstract string Provider { get; }

    /// <summary>A store in a temporary directory of its own (<see cref="SqliteStoreFixture.Directory"/>).</summary>
    public static SqliteStoreFixture Sqlite() => new();

    /// <summary>A database of its own on the container host's PostgreSQL; fails loudly when the host is not up.</summary>
    public static PostgresStoreFixture Postgres() => new();

    /// <summary>Another handle on the same store (another replica, for PostgreSQL); the first one opened is the store's.</summary>
    public async Task<StoreDatabase> OpenAsync(TimeSpan? leaseDuration = null)
    {
        var database = await CreateAsync(leaseDuration ?? TimeSpan.FromSeconds(30));
        _opened.Add(database);
        return database;
    }

    /// <summary>Another replica on the same store: another handle (<see cref="OpenAsync"/>) unless the provider serves one process.</summary>
    public virtual Task<StoreDatabase> ReplicaAsync() => OpenAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var database in _opened)
        {
            database.Dispose();
        }

        await DropAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>The first handle opened (the test's store), if any.</summary>
    protected StoreDatabase? First => _opened.Count > 0 ? _opened[0] : null;

    /// <summary>A new handle on this fixture's store.</summary>
    protected abstract Task<StoreDatabase> CreateAsync(TimeSpan leaseDuration);

    /// <summary>Clears the pools and removes what the store left.</summary>
    protected abstract Task DropAsync();
}
