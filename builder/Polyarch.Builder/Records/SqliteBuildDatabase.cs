using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// The build store in SQLite under the state directory (Store:Provider=sqlite, the default): one process owns the
/// builds it claims, so a build still running at start-up was interrupted and is queued again.
/// </summary>
internal sealed class SqliteBuildDatabase : BuildDatabase
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _migrated;

    public SqliteBuildDatabase(IOptions<BuilderOptions> options)
    {
        var directory = StatePaths.BuilderDirectory(options.Value.StateDirectory);
        StatePaths.CreatePrivateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "builds.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _migrated = new Lazy<Task>(() => Task.Run(() => StoreMigrations.UpgradeSqlite(_connectionString)));
    }

    /// <inheritdoc />
    public override bool IsShared => false;

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.WaitAsync(cancellationToken);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    protected override ValueTask DisposeAsyncCore() => ValueTask.CompletedTask; // Nothing held: every call opens its own connection.
}
