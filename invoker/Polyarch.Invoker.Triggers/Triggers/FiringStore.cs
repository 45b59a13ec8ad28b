using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.Triggers;

/// <summary>Firings keyed by (rule, repository, digest): inserted once, with their activation ids reserved, then completed.</summary>
internal sealed class FiringStore(TriggerDatabase database, TimeProvider timeProvider)
{
    /// <summary>Stores the firing unless the rule already fired for that (repository, digest); true when this call stored it.</summary>
    public async Task<bool> TryAddAsync(Firing firing, long pushId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR IGNORE INTO firings (rule, repository, digest, push_id, target, params, activations, state, created)
            VALUES ($rule, $repository, $digest, $push, $target, $params, $activations, 'pending', $created)
            """;
        AddKey(command, firing.Rule, firing.Repository, firing.Digest);
        command.Parameters.AddWithValue("$push", pushId);
        command.Parameters.AddWithValue("$target", firing.Target);
        command.Parameters.AddWithValue("$params", firing.Params.ToJsonString());
        command.Parameters.AddWithValue("$activations", JsonSerializer.Serialize(firing.Activations, InvokerJson.Options));
        command.Parameters.AddWithValue("$created", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<bool> ExistsAsync(string rule, string repository, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM firings WHERE rule = $rule AND repository = $repository AND digest = $digest";
        AddKey(command, rule, repository, digest);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Firings whose activations have not all run (after a restart: the ones interrupted).</summary>
    public Task<IReadOnlyList<Firing>> PendingAsync(CancellationToken cancellationToken) =>
        QueryAsync("WHERE state = 'pending' ORDER BY created", cancellationToken);

    /// <summary>Every firing, newest first.</summary>
    public Task<IReadOnlyList<Firing>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync("ORDER BY created DESC", cancellationToken);

    public async Task CompleteAsync(Firing firing, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE firings SET state = 'done' WHERE rule = $rule AND repository = $repository AND digest = $digest";
        AddKey(command, firing.Rule, firing.Repository, firing.Digest);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddKey(Microsoft.Data.Sqlite.SqliteCommand command, string rule, string repository, string digest)
    {
        command.Parameters.AddWithValue("$rule", rule);
        command.Parameters.AddWithValue("$repository", repository);
        command.Parameters.AddWithValue("$digest", digest);
    }

    private async Task<IReadOnlyList<Firing>> QueryAsync(string clause, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT rule, repository, digest, target, params, activations FROM firings {clause}";
        var firings = new List<Firing>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            firings.Add(new Firing(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                JsonNode.Parse(reader.GetString(4))!.AsObject(),
                JsonSerializer.Deserialize<List<FiringActivation>>(reader.GetString(5), InvokerJson.Options)!));
        }

        return firings;
    }
}
