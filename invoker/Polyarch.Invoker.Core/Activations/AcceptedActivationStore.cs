using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Activations;

/// <summary>
/// Accepted non-blocking invocations in the invoker's database, stored before the 202 (as firings are before the
/// webhook's 2xx). A row leaves in the same transaction that stores its record (<see cref="SqliteActivationStore"/>),
/// so every accepted id has a row or a record — never neither.
/// </summary>
internal sealed class AcceptedActivationStore(InvokerDatabase database, TimeProvider timeProvider)
{
    public async Task AddAsync(AcceptedActivation accepted, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO accepted_activations (id, target, params, platform, state, accepted)
            VALUES ($id, $target, $params, $platform, $state, $accepted)
            """;
        command.Parameters.AddWithValue("$id", accepted.ActivationId);
        command.Parameters.AddWithValue("$target", accepted.Target);
        command.Parameters.AddWithValue("$params", accepted.Params.ToJsonString());
        command.Parameters.AddWithValue("$platform", (object?)accepted.Platform ?? DBNull.Value);
        command.Parameters.AddWithValue("$state", accepted.State);
        command.Parameters.AddWithValue("$accepted", accepted.Accepted.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks the activation as taken up: from now on a restart fails it instead of running it again.</summary>
    public async Task MarkRunningAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE accepted_activations SET state = $state, started = $started WHERE id = $id";
        command.Parameters.AddWithValue("$id", activationId);
        command.Parameters.AddWithValue("$state", AcceptedActivation.Running);
        command.Parameters.AddWithValue("$started", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The accepted activation, or null when it has a record or was never accepted.</summary>
    public async Task<AcceptedActivation?> GetAsync(string activationId, CancellationToken cancellationToken) =>
        (await QueryAsync("WHERE id = $id", activationId, cancellationToken)).SingleOrDefault();

    /// <summary>Every accepted activation without a record, oldest first (at start-up: what the last run left).</summary>
    public Task<IReadOnlyList<AcceptedActivation>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync("ORDER BY accepted, rowid", null, cancellationToken);

    private async Task<IReadOnlyList<AcceptedActivation>> QueryAsync(string clause, string? id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, target, params, platform, state, accepted FROM accepted_activations {clause}";
        if (id is not null)
        {
            command.Parameters.AddWithValue("$id", id);
        }

        var accepted = new List<AcceptedActivation>();
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accepted.Add(new AcceptedActivation(
                reader.GetString(0),
                reader.GetString(1),
                JsonNode.Parse(reader.GetString(2))!.AsObject(),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.GetString(4),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }

        return accepted;
    }
}
