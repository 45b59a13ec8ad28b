using System.Data.Common;
using System.Security.Cryptography;

namespace Polyarch.Invoker.State;

/// <summary>
/// The invoker's store: SQLite (<see cref="InvokerDatabase"/>, one process, the default) or PostgreSQL
/// (<see cref="PostgresInvokerDatabase"/>, shared by replicas). The stores speak one SQL to both (named <c>@</c>
/// parameters, <c>ON CONFLICT</c>, <c>RETURNING</c>); the few words that differ are here.
/// </summary>
internal abstract class StoreDatabase : IDisposable
{
    /// <summary>Whether the store is PostgreSQL (shared by replicas).</summary>
    public abstract bool IsPostgres { get; }

    /// <summary>This replica's name on the leases it holds.</summary>
    public string Owner { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>How long a replica owns work it took up without renewing the lease (Store:LeaseDuration).</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The column that orders rows as they were inserted (SQLite's rowid, PostgreSQL's seq).</summary>
    public string InsertionOrder => IsPostgres ? "seq" : "rowid";

    /// <summary>The suffix a claim's sub-select takes so replicas claim side by side (nothing in SQLite: one writer).</summary>
    public string SkipLocked => IsPostgres ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>LIMIT's word for "no limit" before an OFFSET.</summary>
    public string NoLimit => IsPostgres ? "ALL" : "-1";

    /// <summary>A connection to a store whose schema is migrated to the newest version.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Tries to become the one replica doing <paramref name="key"/>'s work (a PostgreSQL session advisory lock, held
    /// until the handle is disposed or the replica dies); null when another replica holds it. SQLite: always granted.
    /// </summary>
    public abstract Task<ILeadership?> TryLeadAsync(long key, CancellationToken cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
