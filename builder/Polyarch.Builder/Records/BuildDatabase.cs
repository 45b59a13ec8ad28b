using System.Data.Common;

namespace Polyarch.Builder.Records;

/// <summary>
/// Where <see cref="BuildStore"/> keeps its builds: SQLite (<see cref="SqliteBuildDatabase"/>, one process, the default) or
/// PostgreSQL (<see cref="PostgresBuildDatabase"/>, shared by replicas). The store speaks one SQL to both (named <c>@</c>
/// parameters, <c>ON CONFLICT</c>, <c>RETURNING</c>); the few words that differ — leases above all — are here.
/// </summary>
internal abstract class BuildDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>
    /// Whether replicas share the store (PostgreSQL): a claim then takes a lease (<c>@owner</c>, <c>@expires</c>) that the
    /// replica renews, and a build whose lease expired (<c>@now</c>) is another replica's to take. In SQLite one process
    /// owns whatever it claimed, so every lease clause below is empty.
    /// </summary>
    public abstract bool IsShared { get; }

    /// <summary>The column that orders rows as they were inserted (SQLite's rowid, PostgreSQL's seq).</summary>
    public string InsertionOrder => IsShared ? "seq" : "rowid";

    /// <summary>The suffix a claim's sub-select takes so replicas claim side by side (nothing in SQLite: one writer).</summary>
    public string SkipLocked => IsShared ? " FOR UPDATE SKIP LOCKED" : "";

    /// <summary>The SET clause by which a claim takes the lease.</summary>
    public string TakeLease => IsShared ? ", lease_owner = @owner, lease_expires = @expires" : "";

    /// <summary>The SET clause that gives a lease up.</summary>
    public string DropLease => IsShared ? ", lease_owner = NULL, lease_expires = NULL" : "";

    /// <summary>The claim's extra choice (table alias <c>b</c>): a running build whose replica stopped renewing its lease.</summary>
    public string OrLeaseExpired => IsShared ? " OR (b.status = 'running' AND b.lease_expires < @now)" : "";

    /// <summary>The condition on a running build another process may take over: its lease expired (SQLite: all of them).</summary>
    public string AndLeaseExpired => IsShared ? " AND (lease_expires IS NULL OR lease_expires < @now)" : "";

    /// <summary>The condition on a build this replica holds.</summary>
    public string AndLeaseHeld => IsShared ? " AND lease_owner = @owner" : "";

    /// <summary>The condition on a build this replica holds, or nobody does.</summary>
    public string AndLeaseHeldOrFree => IsShared ? " AND (lease_owner = @owner OR lease_owner IS NULL)" : "";

    /// <summary>A connection to a store whose schema is migrated to the newest version.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Serialises submissions across processes in the open transaction (SQLite's write transaction already does).</summary>
    public virtual Task LockSubmissionsAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeAsyncCore().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the provider holds (PostgreSQL's connection pool).</summary>
    protected abstract ValueTask DisposeAsyncCore();
}
