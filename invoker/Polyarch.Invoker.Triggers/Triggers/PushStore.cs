using System.Data.Common;
using Polyarch.Invoker.State;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Pushes accepted from the webhook or found by reconciliation, and the tag → digest each repository was last seen with.
/// Every replica receives the registry's notifications: a push is stored pending once (a unique index on PostgreSQL) and
/// processed by the replica that claims it (<see cref="ClaimAsync(int, TimeSpan, CancellationToken)"/>: a lease, <c>FOR UPDATE SKIP LOCKED</c>).
/// </summary>
internal sealed class PushStore(TriggerDatabase database, TimeProvider timeProvider)
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Superseded = "superseded";

    private const string Columns = "id, registry, repository, tag, digest, media_type, source, attempts, received, config_media_type";

    private StoreDatabase Store => database.Store;

    /// <summary>Stores pushes durably (one transaction) before the webhook answers; one already pending is not stored twice.</summary>
    public Task AddAsync(IReadOnlyList<ImagePush> pushes, string source, CancellationToken cancellationToken) =>
        AddAsync([.. pushes.Select(p => (p, (string?)null))], source, cancellationToken);

    /// <summary>Stores artifact pushes like <see cref="AddAsync(IReadOnlyList{ImagePush}, string, CancellationToken)"/>, with their config's media type.</summary>
    public Task AddArtifactsAsync(IReadOnlyList<ArtifactPush> pushes, string source, CancellationToken cancellationToken) =>
        AddAsync([.. pushes.Select(p => (new ImagePush(p.Registry, p.Repository, p.Tag, p.Digest, p.MediaType), (string?)p.ConfigMediaType))], source, cancellationToken);

    private async Task AddAsync(IReadOnlyList<(ImagePush Push, string? ConfigMediaType)> pushes, string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (push, configMediaType) in pushes)
        {
            // NOT EXISTS covers SQLite (no unique index there: older files may hold duplicates); ON CONFLICT covers two
            // replicas storing the same push at once on PostgreSQL (its partial unique index on pending pushes).
            await connection.ExecuteAsync(transaction, """
                INSERT INTO pushes (registry, repository, tag, digest, media_type, source, received, config_media_type)
                SELECT @registry, @repository, @tag, @digest, @mediaType, @source, @received, @config
                WHERE NOT EXISTS (SELECT 1 FROM pushes WHERE state = 'pending' AND registry = @registry
                    AND repository = @repository AND tag = @tag AND digest = @digest)
                ON CONFLICT DO NOTHING
                """,
                cancellationToken,
                ("registry", push.Registry),
                ("repository", push.Repository),
                ("tag", push.Tag),
                ("digest", push.Digest.ToString()),
                ("mediaType", push.MediaType),
                ("source", source),
                ("received", timeProvider.GetUtcNow().ToUnixTimeMilliseconds()),
                ("config", configMediaType));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Pushes not processed yet, oldest first (whoever holds them).</summary>
    public async Task<IReadOnlyList<StoredPush>> PendingAsync(int limit, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM pushes WHERE state = 'pending' ORDER BY id LIMIT @limit", cancellationToken, ("limit", limit));

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending pushes no other replica holds (or whose holder's lease expired) for
    /// <see cref="StoreDatabase.LeaseDuration"/>, oldest first; replicas claim side by side (SKIP LOCKED).
    /// </summary>
    public Task<IReadOnlyList<StoredPush>> ClaimAsync(int limit, CancellationToken cancellationToken) =>
        ClaimAsync(limit, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// As <see cref="ClaimAsync(int, CancellationToken)"/>, but only pushes that are due: an index or an artifact at once, any other
    /// manifest once it has settled for <paramref name="settleDelay"/>. Unsettled pushes are left pending without being
    /// claimed, so they never fill a batch ahead of an index push behind them (a burst's per-child tag pushes did: issue 18).
    /// </summary>
    public async Task<IReadOnlyList<StoredPush>> ClaimAsync(int limit, TimeSpan settleDelay, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var claimed = await QueryAsync(
            $"""
            UPDATE pushes SET lease_owner = @owner, lease_expires = @expires
            WHERE id IN (SELECT id FROM pushes WHERE state = 'pending' AND (lease_expires IS NULL OR lease_expires < @now)
                AND (media_type IN (@ociIndex, @dockerList) OR config_media_type IS NOT NULL OR received <= @settled)
                ORDER BY id LIMIT @limit{Store.SkipLocked})
            RETURNING {Columns}
            """,
            cancellationToken,
            ("owner", Store.Owner),
            ("expires", (now + Store.LeaseDuration).ToUnixTimeMilliseconds()),
            ("now", now.ToUnixTimeMilliseconds()),
            ("ociIndex", MediaTypes.OciIndex),
            ("dockerList", MediaTypes.DockerManifestList),
            ("settled", (now - settleDelay).ToUnixTimeMilliseconds()),
            ("limit", limit));
        return [.. claimed.OrderBy(p => p.Id)];
    }

    /// <summary>Gives a claimed push back untouched (it is not due yet), so any replica may take it at the next poll.</summary>
    public async Task ReleaseAsync(StoredPush push, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE pushes SET lease_owner = NULL, lease_expires = NULL WHERE id = @id AND lease_owner = @owner",
            cancellationToken, ("id", push.Id), ("owner", Store.Owner));
    }

    /// <summary>Every push stored (newest first), for the API and tests.</summary>
    public async Task<IReadOnlyList<StoredPush>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM pushes ORDER BY id DESC LIMIT @limit", cancellationToken, ("limit", limit));

    /// <summary>How many pushes wait to be processed.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command("SELECT COUNT(*) FROM pushes WHERE state = 'pending'");
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Marks a push processed and its tag seen with its digest, at once.</summary>
    public async Task CompleteAsync(StoredPush push, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(transaction, "UPDATE pushes SET state = 'done', error = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = @id",
            cancellationToken, ("id", push.Id));
        await connection.ExecuteAsync(transaction, """
            INSERT INTO seen_tags (registry, repository, tag, digest) VALUES (@registry, @repository, @tag, @digest)
            ON CONFLICT(registry, repository, tag) DO UPDATE SET digest = excluded.digest
            """,
            cancellationToken,
            ("registry", push.Push.Registry), ("repository", push.Push.Repository), ("tag", push.Push.Tag), ("digest", push.Push.Digest.ToString()));
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a push whose tag no longer points at its digest (a later push replaced it; that one is processed instead).</summary>
    public async Task SupersedeAsync(StoredPush push, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "UPDATE pushes SET state = 'superseded', lease_owner = NULL, lease_expires = NULL WHERE id = @id",
            cancellationToken, ("id", push.Id));
    }

    /// <summary>Counts a failed attempt; after <paramref name="giveUp"/> the push is marked failed with the error.</summary>
    public async Task FailAttemptAsync(StoredPush push, string error, bool giveUp, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE pushes SET attempts = attempts + 1, error = @error, state = @state, lease_owner = NULL, lease_expires = NULL WHERE id = @id",
            cancellationToken, ("id", push.Id), ("error", error), ("state", giveUp ? Failed : Pending));
    }

    /// <summary>The digest a tag was last seen with (processed or baselined), or null.</summary>
    public async Task<string?> SeenDigestAsync(string registry, string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT digest FROM seen_tags WHERE registry = @registry AND repository = @repository AND tag = @tag",
            ("registry", registry), ("repository", repository), ("tag", tag));
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Records a tag as seen without processing it (the state of a repository when a rule starts watching it).</summary>
    public async Task BaselineAsync(string registry, string repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "INSERT INTO seen_tags (registry, repository, tag, digest) VALUES (@registry, @repository, @tag, @digest) ON CONFLICT DO NOTHING",
            cancellationToken, ("registry", registry), ("repository", repository), ("tag", tag), ("digest", digest.ToString()));
    }

    /// <summary>True when a push of this (registry, repository, tag, digest) waits to be processed already.</summary>
    public async Task<bool> IsPendingAsync(string registry, string repository, string tag, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT 1 FROM pushes WHERE state = 'pending' AND registry = @registry AND repository = @repository AND tag = @tag AND digest = @digest LIMIT 1",
            ("registry", registry), ("repository", repository), ("tag", tag), ("digest", digest));
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private async Task<IReadOnlyList<StoredPush>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using DbCommand command = connection.Command(sql, parameters);
        var pushes = new List<StoredPush>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var push = new ImagePush(reader.GetString(1), reader.GetString(2), reader.GetString(3), Digest.Parse(reader.GetString(4)), reader.GetString(5));
            pushes.Add(new StoredPush(reader.GetInt64(0), push, reader.GetString(6), reader.GetInt32(7), reader.GetInt64(8), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return pushes;
    }
}
