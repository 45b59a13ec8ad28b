using System.Text.Json;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Actions;

/// <summary>Actions in the invoker's SQLite database (one JSON document per action).</summary>
internal sealed class SqliteActionStore(InvokerDatabase database, TimeProvider timeProvider) : IActionStore
{
    public async Task PutAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO actions (name, definition, updated) VALUES ($name, $definition, $updated)
            ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
            """;
        command.Parameters.AddWithValue("$name", action.Name);
        command.Parameters.AddWithValue("$definition", JsonSerializer.Serialize(action, InvokerJson.Options));
        command.Parameters.AddWithValue("$updated", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT definition FROM actions WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        var json = await command.ExecuteScalarAsync(cancellationToken) as string;
        return json is null ? null : JsonSerializer.Deserialize<ActionDefinition>(json, InvokerJson.Options);
    }

    public async Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT definition FROM actions ORDER BY name";
        var actions = new List<ActionDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            actions.Add(JsonSerializer.Deserialize<ActionDefinition>(reader.GetString(0), InvokerJson.Options)!);
        }

        return actions;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM actions WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
