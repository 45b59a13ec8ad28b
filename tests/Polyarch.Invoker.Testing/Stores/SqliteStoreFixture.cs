using Microsoft.Data.Sqlite;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Testing.Stores;

/// <summary>The invoker store on SQLite: invoker.db in a nested folder of a temporary directory (the store creates the folder).</summary>
internal sealed class SqliteStoreFixture : StoreFixture
{
    /// <summary>The temporary directory, deleted with the fixture; tests may put other store files in it.</summary>
    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("invoker-db-").FullName;

    /// <summary>The store's file.</summary>
    public string Path => System.IO.Path.Combine(Directory, "nested", "invoker.db");

    public override string Provider => "sqlite";

    /// <summary>SQLite serves one process: its replica is the store's first handle.</summary>
    public override async Task<StoreDatabase> ReplicaAsync() => First ?? await OpenAsync();

    protected override Task<StoreDatabase> CreateAsync(TimeSpan leaseDuration) =>
        Task.FromResult<StoreDatabase>(new InvokerDatabase(Path) { LeaseDuration = leaseDuration });

    protected override Task DropAsync()
    {
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
