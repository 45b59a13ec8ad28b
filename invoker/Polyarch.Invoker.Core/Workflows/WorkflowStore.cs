using System.Data.Common;
using System.Text.Json;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Workflow definitions and runs in the invoker's store (SQLite or PostgreSQL). A run row holds its record, the
/// definition it started with, a cancel flag and the lease of the replica driving it: one replica drives a run, and a
/// run whose lease expired (its replica died or stopped) is taken over by another (<see cref="ClaimAsync(CancellationToken)"/>).
/// </summary>
internal sealed class WorkflowStore(StoreDatabase database, TimeProvider timeProvider)
{
    private readonly NamedDocumentTable<WorkflowDefinition> _definitions = new(database.OpenAsync, "workflows", timeProvider);

    public string Owner => database.Owner;

    public TimeSpan LeaseDuration => database.LeaseDuration;

    public Task PutAsync(WorkflowDefinition workflow, CancellationToken cancellationToken) => _definitions.PutAsync(workflow.Name, workflow, cancellationToken);

    public Task<WorkflowDefinition?> GetAsync(string name, CancellationToken cancellationToken) => _definitions.GetAsync(name, cancellationToken);

    public Task<IReadOnlyList<WorkflowDefinition>> ListAsync(CancellationToken cancellationToken) => _definitions.ListAsync(cancellationToken);

    public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => _definitions.DeleteAsync(name, cancellationToken);

    /// <summary>Stores a new run (leased to this replica when <paramref name="lease"/>); for a repeated idempotency key, returns the existing run's id.</summary>
    public async Task<(string RunId, bool Created)> CreateRunAsync(WorkflowRun run, WorkflowDefinition definition, string? idempotencyKey, bool lease, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(null, """
            INSERT INTO workflow_runs (id, workflow, status, idempotency_key, created, definition, record, lease_owner, lease_expires)
            VALUES (@id, @workflow, @status, @key, @created, @definition, @record, @owner, @expires)
            ON CONFLICT DO NOTHING
            """,
            cancellationToken,
            ("id", run.Id),
            ("workflow", run.Workflow),
            ("status", run.Status),
            ("key", idempotencyKey),
            ("created", run.StartedAt.ToUnixTimeMilliseconds()),
            ("definition", JsonSerializer.Serialize(definition, InvokerJson.Options)),
            ("record", JsonSerializer.Serialize(run, InvokerJson.Options)),
            ("owner", lease ? database.Owner : null),
            ("expires", lease ? Expiry() : null));
        if (inserted > 0)
        {
            return (run.Id, true);
        }

        await using var command = connection.Command("SELECT id FROM workflow_runs WHERE idempotency_key = @key", ("key", idempotencyKey));
        return (await command.ExecuteScalarAsync(cancellationToken) as string
            ?? throw new InvalidOperationException($"workflow run {run.Id} could not be stored and no run has the idempotency key '{idempotencyKey}'"), false);
    }

    public async Task SaveRunAsync(WorkflowRun run, CancellationToken cancellationToken)
    {
        var record = JsonSerializer.Serialize(run, InvokerJson.Options);
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE workflow_runs SET status = @status, record = @record WHERE id = @id",
            cancellationToken, ("id", run.Id), ("status", run.Status), ("record", record));
    }

    public async Task<WorkflowRun?> GetRunAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT record FROM workflow_runs WHERE id = @id", ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<WorkflowRun>(json, InvokerJson.Options) : null;
    }

    /// <summary>The definition the run started with.</summary>
    public async Task<WorkflowDefinition?> GetRunDefinitionAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT definition FROM workflow_runs WHERE id = @id", ("id", id));
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? JsonSerializer.Deserialize<WorkflowDefinition>(json, InvokerJson.Options) : null;
    }

    /// <summary>Runs, newest first, of one workflow or all.</summary>
    public async Task<IReadOnlyList<WorkflowRun>> ListRunsAsync(string? workflow, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var filter = workflow is null ? "" : "WHERE workflow = @workflow";
        await using var command = connection.Command(
            $"SELECT record FROM workflow_runs {filter} ORDER BY created DESC, {database.InsertionOrder} DESC LIMIT @limit",
            ("workflow", workflow), ("limit", limit));
        var runs = new List<WorkflowRun>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            runs.Add(JsonSerializer.Deserialize<WorkflowRun>(reader.GetString(0), InvokerJson.Options)!);
        }

        return runs;
    }

    /// <summary>Takes over unfinished runs nobody holds: never leased (started by a CLI without --wait) or whose lease expired.</summary>
    public async Task<IReadOnlyList<string>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            $"""
            UPDATE workflow_runs SET lease_owner = @owner, lease_expires = @expires
            WHERE id IN (SELECT id FROM workflow_runs WHERE status IN ('pending', 'running') AND (lease_expires IS NULL OR lease_expires < @now)
                         ORDER BY created LIMIT 100{database.SkipLocked})
            RETURNING id
            """,
            ("owner", database.Owner), ("expires", Expiry()), ("now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Takes over one unfinished run if nobody holds it (never leased, or its lease expired).</summary>
    public async Task<bool> ClaimAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, """
            UPDATE workflow_runs SET lease_owner = @owner, lease_expires = @expires
            WHERE id = @id AND status IN ('pending', 'running') AND (lease_expires IS NULL OR lease_expires < @now)
            """,
            cancellationToken, ("id", id), ("owner", database.Owner), ("expires", Expiry()), ("now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds())) > 0;
    }

    /// <summary>Extends this replica's lease on a run it drives; false when another replica holds it now.</summary>
    public async Task<bool> RenewAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "UPDATE workflow_runs SET lease_expires = @expires WHERE id = @id AND lease_owner = @owner",
            cancellationToken, ("id", id), ("owner", database.Owner), ("expires", Expiry())) > 0;
    }

    /// <summary>Gives up this replica's lease (it stops driving the run), so another replica may take it over at once.</summary>
    public async Task ReleaseAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE workflow_runs SET lease_owner = NULL, lease_expires = 0 WHERE id = @id AND lease_owner = @owner",
            cancellationToken, ("id", id), ("owner", database.Owner));
    }

    /// <summary>Asks the replica driving the run to cancel it; false when the run is unknown or finished.</summary>
    public async Task<bool> RequestCancelAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(null, "UPDATE workflow_runs SET cancel_requested = 1 WHERE id = @id AND status IN ('pending', 'running')",
            cancellationToken, ("id", id)) > 0;
    }

    public async Task<bool> IsCancelRequestedAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT cancel_requested FROM workflow_runs WHERE id = @id", ("id", id));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken) ?? 0L, System.Globalization.CultureInfo.InvariantCulture) != 0;
    }

    private long Expiry() => (timeProvider.GetUtcNow() + database.LeaseDuration).ToUnixTimeMilliseconds();
}
