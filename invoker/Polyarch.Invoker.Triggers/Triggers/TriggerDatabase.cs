using System.Data.Common;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// The trigger tables (rules, pushes, seen tags, firings) in the invoker's store, SQLite or PostgreSQL; their schema
/// is part of the store's migrations (State/Migrations in the core).
/// </summary>
internal sealed class TriggerDatabase(StoreDatabase database)
{
    /// <summary>The store the tables live in (provider, lease owner and duration).</summary>
    public StoreDatabase Store => database;

    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => database.OpenAsync(cancellationToken);
}
