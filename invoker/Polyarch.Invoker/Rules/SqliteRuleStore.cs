using System.Text.Json;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Rules;

/// <summary>Rules in the invoker's SQLite database (one JSON document per rule).</summary>
internal sealed class SqliteRuleStore(TriggerDatabase database, TimeProvider timeProvider) : IRuleStore
{
    public async Task PutAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO rules (name, definition, updated) VALUES ($name, $definition, $updated)
            ON CONFLICT(name) DO UPDATE SET definition = excluded.definition, updated = excluded.updated
            """;
        command.Parameters.AddWithValue("$name", rule.Name);
        command.Parameters.AddWithValue("$definition", JsonSerializer.Serialize(rule, InvokerJson.Options));
        command.Parameters.AddWithValue("$updated", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<RuleDefinition?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT definition FROM rules WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is string json
            ? JsonSerializer.Deserialize<RuleDefinition>(json, InvokerJson.Options)
            : null;
    }

    public async Task<IReadOnlyList<RuleDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT definition FROM rules ORDER BY name";
        var rules = new List<RuleDefinition>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rules.Add(JsonSerializer.Deserialize<RuleDefinition>(reader.GetString(0), InvokerJson.Options)!);
        }

        return rules;
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM rules WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }
}
