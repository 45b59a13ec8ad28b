using System.Text.Json;
using Microsoft.Data.Sqlite;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Activations;

/// <summary>Activation records in the invoker's SQLite database (the record as camelCase JSON plus indexed columns).</summary>
internal sealed class SqliteActivationStore(InvokerDatabase database) : IActivationStore
{
    public const int MaxListLimit = 1000;

    public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken) => SaveManyAsync([record], cancellationToken);

    /// <summary>
    /// All records in one transaction: one WAL commit for a batch instead of one per record. The same transaction
    /// retires each record's accepted non-blocking invocation (<see cref="AcceptedActivationStore"/>), so a crash
    /// leaves an id with its row or with its record.
    /// </summary>
    public async Task SaveManyAsync(IReadOnlyList<ActivationRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR REPLACE INTO activations (id, action, start, status, record)
            VALUES ($id, $action, $start, $status, $record)
            """;
        await using var retire = connection.CreateCommand();
        retire.Transaction = transaction;
        retire.CommandText = "DELETE FROM accepted_activations WHERE id = $id";
        var retired = retire.Parameters.Add("$id", SqliteType.Text);
        var id = command.Parameters.Add("$id", SqliteType.Text);
        var action = command.Parameters.Add("$action", SqliteType.Text);
        var start = command.Parameters.Add("$start", SqliteType.Integer);
        var status = command.Parameters.Add("$status", SqliteType.Text);
        var json = command.Parameters.Add("$record", SqliteType.Text);
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

    public async Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM activations WHERE id = $id";
        command.Parameters.AddWithValue("$id", activationId);
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        return json is null ? null : JsonSerializer.Deserialize<ActivationRecord>(json, InvokerJson.Options);
    }

    public async Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = action is null
            ? "SELECT record FROM activations ORDER BY start DESC, rowid DESC LIMIT $limit"
            : "SELECT record FROM activations WHERE action = $action ORDER BY start DESC, rowid DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, MaxListLimit));
        if (action is not null)
        {
            command.Parameters.AddWithValue("$action", action);
        }

        var records = new List<ActivationRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonSerializer.Deserialize<ActivationRecord>(reader.GetString(0), InvokerJson.Options)!);
        }

        return records;
    }
}
