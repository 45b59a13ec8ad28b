using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Firings keyed by (rule, repository, digest): inserted once (the primary key: of two replicas processing the same push,
/// one stores it), with their activation ids reserved, then completed. The replica that stored a firing holds it with a
/// lease it renews while the activations run; one whose lease expired (its replica died) is claimed by another
/// (<see cref="ClaimAsync"/>), which runs the activations that have no record yet.
/// </summary>
internal sealed class FiringStore(TriggerDatabase database, TimeProvider timeProvider)
{
    private const string Columns = "rule, repository, digest, target, params, activations, workflow, workflow_trigger";

    private StoreDatabase Store => database.Store;

    /// <summary>Stores the firing unless the rule already fired for that (repository, digest); true when this call stored it (and holds it).</summary>
    public async Task<bool> TryAddAsync(Firing firing, long pushId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        return await connection.ExecuteAsync(null, """
            INSERT INTO firings (rule, repository, digest, push_id, target, params, activations, state, created, lease_owner, lease_expires, workflow, workflow_trigger)
            VALUES (@rule, @repository, @digest, @push, @target, @params, @activations, 'pending', @created, @owner, @expires, @workflow, @trigger)
            ON CONFLICT DO NOTHING
            """,
            cancellationToken,
            ("rule", firing.Rule),
            ("repository", firing.Repository),
            ("digest", firing.Digest),
            ("push", pushId),
            ("target", firing.Target),
            ("params", firing.Params.ToJsonString()),
            ("activations", JsonSerializer.Serialize(firing.Activations, InvokerJson.Options)),
            ("created", now.ToUnixTimeMilliseconds()),
            ("owner", Store.Owner),
            ("expires", (now + Store.LeaseDuration).ToUnixTimeMilliseconds()),
            ("workflow", firing.Workflow),
            ("trigger", firing.Trigger is null ? null : JsonSerializer.Serialize(firing.Trigger, InvokerJson.Options))) > 0;
    }

    public async Task<bool> ExistsAsync(string rule, string repository, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT 1 FROM firings WHERE rule = @rule AND repository = @repository AND digest = @digest",
            ("rule", rule), ("repository", repository), ("digest", digest));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>Firings whose activations have not all run, whoever holds them.</summary>
    public Task<IReadOnlyList<Firing>> PendingAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM firings WHERE state = 'pending' ORDER BY created", cancellationToken);

    /// <summary>
    /// Takes over pending firings whose lease expired (their replica died or stopped), oldest first; with
    /// <paramref name="all"/> (SQLite at start-up: the one process that held them is gone) every pending firing.
    /// </summary>
    public async Task<IReadOnlyList<Firing>> ClaimAsync(bool all, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var expired = all ? "" : "AND (lease_expires IS NULL OR lease_expires < @now)";
        return await QueryAsync(
            $"""
            UPDATE firings SET lease_owner = @owner, lease_expires = @expires
            WHERE (rule, repository, digest) IN (SELECT rule, repository, digest FROM firings WHERE state = 'pending' {expired}
                ORDER BY created LIMIT 100{Store.SkipLocked})
            RETURNING {Columns}
            """,
            cancellationToken,
            ("owner", Store.Owner),
            ("expires", (now + Store.LeaseDuration).ToUnixTimeMilliseconds()),
            ("now", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>Extends this replica's lease on a firing it runs.</summary>
    public async Task RenewAsync(Firing firing, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE firings SET lease_expires = @expires WHERE rule = @rule AND repository = @repository AND digest = @digest AND lease_owner = @owner AND state = 'pending'",
            cancellationToken,
            ("rule", firing.Rule), ("repository", firing.Repository), ("digest", firing.Digest), ("owner", Store.Owner),
            ("expires", (timeProvider.GetUtcNow() + Store.LeaseDuration).ToUnixTimeMilliseconds()));
    }

    /// <summary>Every firing, newest first.</summary>
    public Task<IReadOnlyList<Firing>> ListAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM firings ORDER BY created DESC", cancellationToken);

    public async Task CompleteAsync(Firing firing, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE firings SET state = 'done', lease_owner = NULL, lease_expires = NULL WHERE rule = @rule AND repository = @repository AND digest = @digest",
            cancellationToken, ("rule", firing.Rule), ("repository", firing.Repository), ("digest", firing.Digest));
    }

    private async Task<IReadOnlyList<Firing>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using DbCommand command = connection.Command(sql, parameters);
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
                JsonSerializer.Deserialize<List<FiringActivation>>(reader.GetString(5), InvokerJson.Options)!,
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : JsonSerializer.Deserialize<WorkflowTrigger>(reader.GetString(7), InvokerJson.Options)));
        }

        return firings;
    }
}
