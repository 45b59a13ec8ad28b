using System.Data.Common;
using Microsoft.Extensions.Options;
using Npgsql;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// The build store in PostgreSQL (Store:Provider=postgres), shared by several builder replicas: migrated once (one
/// replica at a time) on first use; builds are claimed with <c>FOR UPDATE SKIP LOCKED</c> and held with leases, and
/// submissions are serialised by a transaction-level advisory lock, so a push delivered to every replica is stored once.
/// </summary>
internal sealed class PostgresBuildDatabase : BuildDatabase
{
    private const long SubmitLock = 0x506F6C7953756269; // "PolySubi": serialises SubmitAsync across replicas.
    private readonly NpgsqlDataSource _dataSource;
    private readonly Lazy<Task> _migrated;

    public PostgresBuildDatabase(IOptions<BuilderOptions> builder, IOptions<StoreOptions> options)
    {
        var connectionString = options.Value.ResolveConnectionString(builder.Value.StateDirectory);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _migrated = new Lazy<Task>(() => StoreMigrations.UpgradePostgresAsync(connectionString, CancellationToken.None));
    }

    /// <inheritdoc />
    public override bool IsShared => true;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task LockSubmissionsAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", SubmitLock));

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore() => _dataSource.DisposeAsync();
}
