using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers;

/// <summary>Pushes accepted from the webhook or found by reconciliation, and the tag → digest each repository was last seen with.</summary>
internal sealed class PushStore(TriggerDatabase database, TimeProvider timeProvider)
{
    public const string Pending = "pending";
    public const string Done = "done";
    public const string Failed = "failed";
    public const string Superseded = "superseded";

    /// <summary>Stores pushes durably (one transaction) before the webhook answers; one already pending is not stored twice.</summary>
    public async Task AddAsync(IReadOnlyList<ImagePush> pushes, string source, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        foreach (var push in pushes)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO pushes (registry, repository, tag, digest, media_type, source, received)
                SELECT $registry, $repository, $tag, $digest, $mediaType, $source, $received
                WHERE NOT EXISTS (SELECT 1 FROM pushes WHERE state = 'pending' AND registry = $registry
                    AND repository = $repository AND tag = $tag AND digest = $digest)
                """;
            command.Parameters.AddWithValue("$registry", push.Registry);
            command.Parameters.AddWithValue("$repository", push.Repository);
            command.Parameters.AddWithValue("$tag", push.Tag);
            command.Parameters.AddWithValue("$digest", push.Digest.ToString());
            command.Parameters.AddWithValue("$mediaType", push.MediaType);
            command.Parameters.AddWithValue("$source", source);
            command.Parameters.AddWithValue("$received", timeProvider.GetUtcNow().ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Pushes not processed yet, oldest first.</summary>
    public async Task<IReadOnlyList<StoredPush>> PendingAsync(int limit, CancellationToken cancellationToken) =>
        await QueryAsync("WHERE state = 'pending' ORDER BY id LIMIT $limit", limit, cancellationToken);

    /// <summary>Every push stored (newest first), for the API and tests.</summary>
    public async Task<IReadOnlyList<StoredPush>> ListAsync(int limit, CancellationToken cancellationToken) =>
        await QueryAsync("ORDER BY id DESC LIMIT $limit", limit, cancellationToken);

    /// <summary>How many pushes wait to be processed.</summary>
    public async Task<long> CountPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM pushes WHERE state = 'pending'";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Marks a push processed and its tag seen with its digest, at once.</summary>
    public async Task CompleteAsync(StoredPush push, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "UPDATE pushes SET state = 'done', error = NULL WHERE id = $id";
            command.Parameters.AddWithValue("$id", push.Id);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO seen_tags (registry, repository, tag, digest) VALUES ($registry, $repository, $tag, $digest)
                ON CONFLICT(registry, repository, tag) DO UPDATE SET digest = excluded.digest
                """;
            AddTag(command, push.Push.Registry, push.Push.Repository, push.Push.Tag);
            command.Parameters.AddWithValue("$digest", push.Push.Digest.ToString());
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Marks a push whose tag no longer points at its digest (a later push replaced it; that one is processed instead).</summary>
    public async Task SupersedeAsync(StoredPush push, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE pushes SET state = 'superseded' WHERE id = $id";
        command.Parameters.AddWithValue("$id", push.Id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Counts a failed attempt; after <paramref name="giveUp"/> the push is marked failed with the error.</summary>
    public async Task FailAttemptAsync(StoredPush push, string error, bool giveUp, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE pushes SET attempts = attempts + 1, error = $error, state = $state WHERE id = $id";
        command.Parameters.AddWithValue("$id", push.Id);
        command.Parameters.AddWithValue("$error", error);
        command.Parameters.AddWithValue("$state", giveUp ? Failed : Pending);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The digest a tag was last seen with (processed or baselined), or null.</summary>
    public async Task<string?> SeenDigestAsync(string registry, string repository, string tag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT digest FROM seen_tags WHERE registry = $registry AND repository = $repository AND tag = $tag";
        AddTag(command, registry, repository, tag);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>Records a tag as seen without processing it (the state of a repository when a rule starts watching it).</summary>
    public async Task BaselineAsync(string registry, string repository, string tag, Digest digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO seen_tags (registry, repository, tag, digest) VALUES ($registry, $repository, $tag, $digest)";
        AddTag(command, registry, repository, tag);
        command.Parameters.AddWithValue("$digest", digest.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>True when a push of this (registry, repository, tag, digest) waits to be processed already.</summary>
    public async Task<bool> IsPendingAsync(string registry, string repository, string tag, string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT 1 FROM pushes WHERE state = 'pending' AND registry = $registry AND repository = $repository AND tag = $tag AND digest = $digest LIMIT 1
            """;
        AddTag(command, registry, repository, tag);
        command.Parameters.AddWithValue("$digest", digest);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static void AddTag(Microsoft.Data.Sqlite.SqliteCommand command, string registry, string repository, string tag)
    {
        command.Parameters.AddWithValue("$registry", registry);
        command.Parameters.AddWithValue("$repository", repository);
        command.Parameters.AddWithValue("$tag", tag);
    }

    private async Task<IReadOnlyList<StoredPush>> QueryAsync(string clause, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT id, registry, repository, tag, digest, media_type, source, attempts, received FROM pushes {clause}";
        command.Parameters.AddWithValue("$limit", limit);
        var pushes = new List<StoredPush>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var push = new ImagePush(reader.GetString(1), reader.GetString(2), reader.GetString(3), Digest.Parse(reader.GetString(4)), reader.GetString(5));
            pushes.Add(new StoredPush(reader.GetInt64(0), push, reader.GetString(6), reader.GetInt32(7), reader.GetInt64(8)));
        }

        return pushes;
    }
}
