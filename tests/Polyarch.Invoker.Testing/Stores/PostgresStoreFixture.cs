using Npgsql;
using Polyarch.Invoker.State;
using Polyarch.Testing;

namespace Polyarch.Invoker.Testing.Stores;

/// <summary>The invoker store on the container host's PostgreSQL (scripts/postgres.sh): a database of its own, dropped at the end.</summary>
internal sealed class PostgresStoreFixture : StoreFixture
{
    private PostgresDatabase? _server;

    public override string Provider => "postgres";

    /// <summary>The database's connection string (after the first <see cref="StoreFixture.OpenAsync"/>).</summary>
    public string ConnectionString => _server?.ConnectionString ?? throw new InvalidOperationException("Open the store first (OpenAsync).");

    protected override async Task<StoreDatabase> CreateAsync(TimeSpan leaseDuration)
    {
        _server ??= await PostgresServer.CreateDatabaseAsync();
        return new PostgresInvokerDatabase(_server.ConnectionString) { LeaseDuration = leaseDuration };
    }

    protected override async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
