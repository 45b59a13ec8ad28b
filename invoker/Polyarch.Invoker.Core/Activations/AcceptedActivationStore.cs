using System.Data.Common;
using System.Text.Json.Nodes;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Activations;

/// <summary>
/// Accepted non-blocking invocations in the invoker's store, stored before the 202 (as firings are before the
/// webhook's 2xx). A row leaves in the same transaction that stores its record (<see cref="DbActivationStore"/>),
/// so every accepted id has a row or a record — never neither. The replica that accepted a row holds it with a
/// lease while it runs it; a row whose lease expired (its replica died) is claimed by another (<see cref="ClaimAsync"/>).
/// </summary>
internal sealed class AcceptedActivationStore(StoreDatabase database, TimeProvider timeProvider)
{
    private const string Columns = "id, target, params, platform, state, accepted";

    public async Task AddAsync(AcceptedActivation accepted, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, """
            INSERT INTO accepted_activations (id, target, params, platform, state, accepted, lease_owner, lease_expires)
            VALUES (@id, @target, @params, @platform, @state, @accepted, @owner, @expires)
            """,
            cancellationToken,
            ("id", accepted.ActivationId),
            ("target", accepted.Target),
            ("params", accepted.Params.ToJsonString()),
            ("platform", accepted.Platform),
            ("state", accepted.State),
            ("accepted", accepted.Accepted.ToUnixTimeMilliseconds()),
            ("owner", database.Owner),
            ("expires", Expiry()));
    }

    /// <summary>Marks the activation as taken up: from now on a restart fails it instead of running it again.</summary>
    public async Task MarkRunningAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE accepted_activations SET state = @state, started = @started, lease_owner = @owner, lease_expires = @expires WHERE id = @id",
            cancellationToken,
            ("id", activationId),
            ("state", AcceptedActivation.Running),
            ("started", timeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
            ("owner", database.Owner),
            ("expires", Expiry()));
    }

    /// <summary>Extends this replica's lease on the activation while it runs it.</summary>
    public async Task RenewAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE accepted_activations SET lease_expires = @expires WHERE id = @id AND lease_owner = @owner",
            cancellationToken, ("id", activationId), ("owner", database.Owner), ("expires", Expiry()));
    }

    /// <summary>
    /// Takes over the accepted activations whose lease expired (their replica died or stopped), oldest first; with
    /// <paramref name="all"/> (SQLite at start-up: the one process that held them is gone) every row.
    /// </summary>
    public async Task<IReadOnlyList<AcceptedActivation>> ClaimAsync(bool all, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var expired = all ? "" : "WHERE lease_expires IS NULL OR lease_expires < @now";
        await using var command = connection.Command(
            $"""
            UPDATE accepted_activations SET lease_owner = @owner, lease_expires = @expires
            WHERE id IN (SELECT id FROM accepted_activations {expired} ORDER BY accepted, {database.InsertionOrder} LIMIT 100{database.SkipLocked})
            RETURNING {Columns}
            """,
            ("owner", database.Owner), ("expires", Expiry()), ("now", timeProvider.GetUtcNow().ToUnixTimeMilliseconds()));
        return [.. (await ReadAsync(command, cancellationToken)).OrderBy(a => a.Accepted)];
    }

    /// <summary>The accepted activation, or null when it has a record or was never accepted.</summary>
    public async Task<AcceptedActivation?> GetAsync(string activationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM accepted_activations WHERE id = @id", ("id", activationId));
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Every accepted activation without a record, oldest first.</summary>
    public async Task<IReadOnlyList<AcceptedActivation>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command($"SELECT {Columns} FROM accepted_activations ORDER BY accepted, {database.InsertionOrder}");
        return await ReadAsync(command, cancellationToken);
    }

    private long Expiry() => (timeProvider.GetUtcNow() + database.LeaseDuration).ToUnixTimeMilliseconds();

    private static async Task<IReadOnlyList<AcceptedActivation>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var accepted = new List<AcceptedActivation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
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
