using System.Text.Json;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Activations;

/// <summary>Activation records in the invoker's store, SQLite or PostgreSQL (the record as camelCase JSON plus indexed columns).</summary>
internal sealed class DbActivationStore(StoreDatabase database) : IActivationStore
{
    public const int MaxListLimit = 1000;

    /// <summary>
    /// Records pruned in one pass from which PostgreSQL's table is vacuumed at once (<see cref="PruneAsync"/>); fewer are left
    /// to autovacuum (their space is at most a few MB).
    /// </summary>
    public int VacuumAfter { get; init; } = 10_000;

    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken) => SaveManyAsync([record], cancellationToken);

    /// <summary>
    /// All records at once, each upserted by activation id (the last one wins when a batch holds an id twice), and each
    /// record's accepted non-blocking invocation (<see cref="AcceptedActivationStore"/>) retired with it, so a crash leaves
    /// an id with its row or with its record. PostgreSQL: one statement for the batch (one round trip); SQLite: one
    /// transaction (one commit), a statement per record (in-process, no round trip to save).
    /// </summary>
    public async Task SaveManyAsync(IReadOnlyList<ActivationRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        if (database.IsPostgres)
        {
            await SaveInOneStatementAsync(connection, records, cancellationToken);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.Command(transaction, """
            INSERT INTO activations (id, action, start, status, record) VALUES (@id, @action, @start, @status, @record)
            ON CONFLICT(id) DO UPDATE SET action = excluded.action, start = excluded.start, status = excluded.status, record = excluded.record
            """);
        await using var retire = connection.Command(transaction, "DELETE FROM accepted_activations WHERE id = @id");
        var retired = retire.Add("id", "");
        var id = command.Add("id", "");
        var action = command.Add("action", "");
        var start = command.Add("start", 0L);
        var status = command.Add("status", "");
        var json = command.Add("record", "");
        foreach (var record in records)
        {
            id.Value = record.ActivationId;
            action.Value = record.Action;
            start.Value = record.Start.ToUnixTimeMilliseconds();
            status.Value = record.Status;
            json.Value = JsonSerializer.Serialize(record, InvokerJson.Options);
            await command.ExecuteNonQueryAsync(cancellationToken);
            retired.Value = record.ActivationId;
            await retire.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// The batch as arrays in one statement (atomic on its own, so no transaction round trips): the upsert and the
    /// retirement of the accepted rows in one CTE. DISTINCT ON keeps an id's last record (an upsert may not touch a row
    /// twice in one statement); the insert runs in batch order, so the insertion order (seq) is the batch's.
    /// </summary>
    private static async Task SaveInOneStatementAsync(System.Data.Common.DbConnection connection, IReadOnlyList<ActivationRecord> records, CancellationToken cancellationToken)
    {
        await using var command = connection.Command("""
            WITH incoming AS (
                SELECT DISTINCT ON (id) id, action, start, status, record, n
                FROM unnest(@ids, @actions, @starts, @statuses, @records) WITH ORDINALITY AS r(id, action, start, status, record, n)
                ORDER BY id, n DESC),
            retired AS (DELETE FROM accepted_activations WHERE id IN (SELECT id FROM incoming))
            INSERT INTO activations (id, action, start, status, record)
            SELECT id, action, start, status, record FROM incoming ORDER BY n
            ON CONFLICT(id) DO UPDATE SET action = excluded.action, start = excluded.start, status = excluded.status, record = excluded.record
            """,
            ("ids", records.Select(r => r.ActivationId).ToArray()),
            ("actions", records.Select(r => r.Action).ToArray()),
            ("starts", records.Select(r => r.Start.ToUnixTimeMilliseconds()).ToArray()),
            ("statuses", records.Select(r => r.Status).ToArray()),
            ("records", records.Select(r => JsonSerializer.Serialize(r, InvokerJson.Options)).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT record FROM activations WHERE id = @id", ("id", activationId));
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        return json is null ? null : JsonSerializer.Deserialize<ActivationRecord>(json, InvokerJson.Options);
    }

    public async Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(ListSql(byAction: action is not null), ("limit", Math.Clamp(limit, 1, MaxListLimit)));
        if (action is not null)
        {
            command.Add("action", action);
        }

        var records = new List<ActivationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<ActivationRecord>(reader.GetString(0), InvokerJson.Options)!);
        }

        return records;
    }

    /// <summary>
    /// <see cref="ListAsync"/>'s query, newest first (parameters <c>@limit</c> and, by action, <c>@action</c>): each provider
    /// has an index in exactly this order, so it reads the first rows of an index and never sorts (PostgreSQL's: migration 0004).
    /// </summary>
    internal string ListSql(bool byAction) =>
        $"SELECT record FROM activations {(byAction ? "WHERE action = @action " : "")}ORDER BY start DESC, {database.InsertionOrder} DESC LIMIT @limit";

    /// <summary>
    /// Deletes the records that started before <paramref name="startedBefore"/> and, when <paramref name="keep"/> is set,
    /// all but the newest <paramref name="keep"/>; returns how many went. Only finished activations have records (one
    /// still running is an accepted row or in flight), so pruning never touches a running activation.
    /// <para>PostgreSQL reuses a deleted row's space only once vacuum has seen it. Autovacuum gets there within its nap on a
    /// quiet server — on a busy one, throttled by its cost delay, minutes later: measured (bench P9), after 766,667 of
    /// 1,000,000 records were pruned no autovacuum had finished within 2 minutes, and the next week's records grew the table
    /// 23 %. So a pass that prunes <see cref="VacuumAfter"/> or more vacuums the table itself (plain VACUUM: reads and writes
    /// go on beside it; not throttled), and the space is reused at once. SQLite reuses freed pages without it.</para>
    /// </summary>
    public async Task<int> PruneAsync(DateTimeOffset? startedBefore, int? keep, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var pruned = 0;
        if (startedBefore is { } before)
        {
            pruned += await connection.ExecuteAsync(null, "DELETE FROM activations WHERE start < @before", cancellationToken, ("before", before.ToUnixTimeMilliseconds()));
        }

        if (keep is { } count)
        {
            pruned += await connection.ExecuteAsync(null,
                $"DELETE FROM activations WHERE id IN (SELECT id FROM activations ORDER BY start DESC, {database.InsertionOrder} DESC LIMIT {database.NoLimit} OFFSET @keep)",
                cancellationToken, ("keep", count));
        }

        if (database.IsPostgres && pruned >= VacuumAfter)
        {
            await connection.ExecuteAsync(null, "VACUUM (ANALYZE) activations", cancellationToken);
        }

        return pruned;
    }
}
