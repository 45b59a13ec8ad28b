using System.Text.Json;
using System.Data.Common;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.State;

/// <summary>
/// A table of named JSON documents (<c>name TEXT PRIMARY KEY, definition TEXT, updated INTEGER</c>), the shape the
/// action and rule stores share: put (insert or replace), get, list by name, delete.
/// </summary>
/// <param name="open">Opens a connection whose schema has the table.</param>
/// <param name="table">The table's name: a constant of the calling store, never user input.</param>
/// <param name="timeProvider">Stamps each put.</param>
internal sealed class NamedDocumentTable<T>(Func<CancellationToken, Task<DbConnection>> open, string table, TimeProvider timeProvider)
    where T : class
{
    public async Task PutAsync(string name, T document, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.Command(
            $"""
            INSERT INTO {table} (name, definition, updated) VALUES (@name, @definition, @updated)
            ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
            """,
            ("name", name),
            ("definition", JsonSerializer.Serialize(document, InvokerJson.Options)),
            ("updated", timeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<T?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.Command($"SELECT definition FROM {table} WHERE name = @name", ("name", name));
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<T>(json, InvokerJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<T>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.Command($"SELECT definition FROM {table} ORDER BY name");
        var documents = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            documents.Add(JsonSerializer.Deserialize<T>(reader.GetString(0), InvokerJson.Options)!);
        }

        return documents;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.Command($"DELETE FROM {table} WHERE name = @name", ("name", name));
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
