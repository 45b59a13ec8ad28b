using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Records;

/// <summary>
/// The build store over a <see cref="BuildDatabase"/> (SQLite or PostgreSQL). Submissions are serialised (SQLite's write
/// transaction, PostgreSQL's advisory lock); a claim is one statement; where replicas share the store a claimed build
/// carries a lease that <see cref="BuildLeaseRenewal"/> renews, and only the lease holder records the outcome.
/// </summary>
internal sealed partial class BuildStore : IBuildStore, IAsyncDisposable, IDisposable
{
    private const string Active = "('queued','running','succeeded')";
    private readonly BuildDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly ILogger<BuildStore> _logger;
    private readonly BuildLeaseRenewal _renewal;

    public BuildStore(BuildDatabase database, IOptions<StoreOptions> options, TimeProvider time, ILogger<BuildStore> logger)
    {
        _database = database;
        _time = time;
        _lease = options.Value.LeaseDuration;
        _logger = logger;
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        _renewal = new BuildLeaseRenewal(database, Owner, _lease, time, logger);
    }

    /// <summary>Where the builds are kept.</summary>
    public BuildDatabase Database => _database;

    /// <summary>This replica's name on the leases it holds.</summary>
    public string Owner { get; }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await _database.LockSubmissionsAsync(connection, cancellationToken);
        if (deliveryId is not null && await connection.ScalarAsync("SELECT build_id FROM deliveries WHERE delivery_id = @d", cancellationToken, ("d", deliveryId)) is string seen)
        {
            // A redelivery ("Redeliver" keeps the delivery id; post-receive derives it from commit and ref) of a
            // build that failed — often on a short outage — builds it again; a queued, running, succeeded or
            // superseded build stays a duplicate.
            var requeued = await connection.ExecuteAsync(
                "UPDATE builds SET status = 'queued', started_at = NULL, finished_at = NULL, error = NULL, images = NULL, timings = NULL, retries = NULL, warnings = NULL" +
                $"{_database.DropLease} WHERE id = @id AND status = 'failed'",
                cancellationToken, ("id", seen)) == 1;
            if (requeued)
            {
                await connection.ExecuteAsync("DELETE FROM build_logs WHERE build_id = @id", cancellationToken, ("id", seen));
            }

            var build = (await GetAsync(connection, seen, cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return new SubmitResult(build, Created: false, Requeued: requeued);
        }

        var existing = await QueryAsync(connection,
            $"SELECT {BuildRowReader.Columns} FROM builds WHERE registry = @r AND repository = @p AND commit_sha = @c AND platforms = @pl AND status IN {Active} " +
            $"ORDER BY {_database.InsertionOrder} DESC LIMIT 1",
            cancellationToken, ("r", request.Registry), ("p", request.Repository), ("c", request.Commit), ("pl", request.PlatformsKey));
        var covering = existing.FirstOrDefault(b => Covers(b, request));
        var now = BuildRowReader.Time(_time.GetUtcNow());
        SubmitResult result;
        if (covering is not null)
        {
            result = new SubmitResult(covering, Created: false);
        }
        else
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            await connection.ExecuteAsync(
                "UPDATE builds SET status = 'superseded', superseded_by = @id, finished_at = @now WHERE status = 'queued' AND registry = @r AND repository = @p AND branch = @b AND commit_sha <> @c",
                cancellationToken, ("id", id), ("now", now), ("r", request.Registry), ("p", request.Repository), ("b", request.Branch), ("c", request.Commit));
            await connection.ExecuteAsync(
                "INSERT INTO builds (id, source_url, registry, repository, commit_sha, branch, is_default, platforms, trigger, status, created_at, reuse_of, trace_parent) " +
                "VALUES (@id, @s, @r, @p, @c, @b, @def, @pl, @t, 'queued', @now, @reuse, @tp)",
                cancellationToken, ("id", id), ("s", request.SourceUrl), ("r", request.Registry), ("p", request.Repository), ("c", request.Commit),
                ("b", request.Branch), ("def", request.IsDefaultBranch ? 1 : 0), ("pl", request.PlatformsKey), ("t", request.Trigger),
                ("now", now), ("reuse", existing.FirstOrDefault()?.Id), ("tp", request.TraceParent));
            result = new SubmitResult((await GetAsync(connection, id, cancellationToken))!, Created: true);
        }

        if (deliveryId is not null)
        {
            await connection.ExecuteAsync("INSERT INTO deliveries (delivery_id, build_id, received_at) VALUES (@d, @b, @now)",
                cancellationToken, ("d", deliveryId), ("b", result.Build.Id), ("now", now));
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var now = _time.GetUtcNow();

        // Queued builds (a retag waits for the build it reuses), and running ones whose replica stopped renewing its lease.
        var id = await connection.ScalarAsync(
            $"UPDATE builds SET status = 'running', started_at = @started, attempts = attempts + 1{_database.TakeLease} " +
            $"WHERE id = (SELECT b.id FROM builds b WHERE (b.status = 'queued'{_database.OrLeaseExpired}) " +
            "AND (b.reuse_of IS NULL OR NOT EXISTS (SELECT 1 FROM builds s WHERE s.id = b.reuse_of AND s.status IN ('queued','running'))) " +
            $"ORDER BY b.{_database.InsertionOrder} LIMIT 1{_database.SkipLocked}) RETURNING id",
            cancellationToken, Lease(now, ("started", BuildRowReader.Time(now)))) as string;
        if (id is null)
        {
            return null;
        }

        _renewal.EnsureRunning();
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> TryClaimAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var claimed = await connection.ExecuteAsync(
            $"UPDATE builds SET status = 'running', started_at = @started, attempts = attempts + 1{_database.TakeLease} WHERE id = @id AND status = 'queued'",
            cancellationToken, Lease(now, ("started", BuildRowReader.Time(now)), ("id", id))) == 1;
        if (!claimed)
        {
            return null;
        }

        _renewal.EnsureRunning();
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunningIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.QueryAsync(
            $"SELECT id FROM builds WHERE status = 'running'{_database.AndLeaseExpired} ORDER BY {_database.InsertionOrder}",
            row => row.GetString(0), cancellationToken, Lease(_time.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task<int> RequeueRunningAsync(CancellationToken cancellationToken)
    {
        // Only builds whose lease expired: the others belong to replicas that are alive.
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            $"UPDATE builds SET status = 'queued', started_at = NULL{_database.DropLease} WHERE status = 'running'{_database.AndLeaseExpired}",
            cancellationToken, Lease(_time.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task RequeueAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(
            $"UPDATE builds SET status = 'queued', started_at = NULL{_database.DropLease} WHERE id = @id AND status = 'running'{_database.AndLeaseHeld}",
            cancellationToken, Lease(_time.GetUtcNow(), ("id", id)));
    }

    /// <inheritdoc />
    public async Task<bool> CancelQueuedAsync(string id, BuildError error, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(
            "UPDATE builds SET status = 'cancelled', finished_at = @now, error = @e WHERE id = @id AND status = 'queued'",
            cancellationToken, ("now", BuildRowReader.Time(_time.GetUtcNow())), ("e", BuildRowReader.ToJson(error)), ("id", id)) > 0;
    }

    /// <inheritdoc />
    public async Task FinishAsync(
        string id, BuildStatus status, IReadOnlyList<BuiltImage> images, IReadOnlyList<PlatformTiming> timings, IReadOnlyList<string> retries,
        IReadOnlyList<string> warnings, BuildError? error, IReadOnlyDictionary<string, string> logs, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Only the lease holder records the outcome: a replica that lost its lease (paused longer than the lease) and finished
        // anyway must not overwrite what the replica that took the build over records.
        var updated = await connection.ExecuteAsync(
            $"UPDATE builds SET status = @s, finished_at = @finished, images = @i, timings = @t, retries = @r, warnings = @w, error = @e{_database.DropLease} " +
            $"WHERE id = @id{_database.AndLeaseHeldOrFree}",
            cancellationToken, Lease(_time.GetUtcNow(),
                ("s", status.ToString().ToLowerInvariant()), ("finished", BuildRowReader.Time(_time.GetUtcNow())),
                ("i", BuildRowReader.ToJson(images)), ("t", BuildRowReader.ToJson(timings)), ("r", BuildRowReader.ToJson(retries)),
                ("w", warnings.Count == 0 ? null : BuildRowReader.ToJson(warnings)), ("e", BuildRowReader.ToJson(error)), ("id", id)));
        if (updated == 0)
        {
            Log.NotRecorded(_logger, id, Owner);
            return;
        }

        foreach (var (platform, text) in logs)
        {
            await connection.ExecuteAsync(
                "INSERT INTO build_logs (build_id, platform, text) VALUES (@id, @p, @t) ON CONFLICT (build_id, platform) DO UPDATE SET text = excluded.text",
                cancellationToken, ("id", id), ("p", platform), ("t", text));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BuildRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds ORDER BY {_database.InsertionOrder} DESC LIMIT @n", cancellationToken, ("n", limit));
    }

    /// <inheritdoc />
    public async Task<int> PruneLogsAsync(DateTimeOffset finishedBefore, int keep, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(BuildLogRetention.Delete, cancellationToken, ("cutoff", BuildRowReader.Time(finishedBefore)), ("keep", keep));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetLogsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync("SELECT platform, text FROM build_logs WHERE build_id = @id ORDER BY platform",
            row => KeyValuePair.Create(row.GetString(0), row.GetString(1)), cancellationToken, ("id", id));
        return new Dictionary<string, string>(rows, StringComparer.Ordinal);
    }

    /// <summary>Stops renewing this replica's leases (shutdown); its claimed builds go to another replica once they expire.</summary>
    public Task StopRenewingAsync() => _renewal.StopAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _renewal.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // A queued or running build covers any request for the same commit; a succeeded one only if it already has the tags.
    private static bool Covers(BuildRecord existing, BuildRequest request) =>
        existing.Status != BuildStatus.Succeeded
            ? existing.Request.Branch == request.Branch || request.Branch is null
            : request.Tags.All(t => existing.Images.All(i => i.Tags.Contains(t)));

    private static async Task<BuildRecord?> GetAsync(DbConnection connection, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds WHERE id = @id", cancellationToken, ("id", id))).FirstOrDefault();

    private static Task<List<BuildRecord>> QueryAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        connection.QueryAsync(sql, BuildRowReader.Read, cancellationToken, parameters);

    // The parameters the lease clauses name (@owner, @expires, @now), after the statement's own; a store that shares no
    // work names none of them.
    private (string Name, object? Value)[] Lease(DateTimeOffset now, params (string Name, object? Value)[] parameters) =>
        _database.IsShared ? [.. parameters, ("owner", Owner), ("expires", now + _lease), ("now", now)] : parameters;

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Build {BuildId} finished on replica {Owner} after it lost its lease (or it no longer exists); another replica owns it, this outcome is dropped")]
        public static partial void NotRecorded(ILogger logger, string buildId, string owner);
    }
}
