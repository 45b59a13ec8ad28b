using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Npgsql;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// The build store in PostgreSQL (Store:Provider=postgres), shared by several builder replicas. A replica claims a
/// build with <c>FOR UPDATE SKIP LOCKED</c> and holds it with a lease it renews every third of
/// <see cref="StoreOptions.LeaseDuration"/>; a replica that dies stops renewing, and once its lease has expired another
/// replica claims the build again. Submissions are serialised by a transaction-level advisory lock, so a push
/// delivered to every replica at once is stored once.
/// </summary>
internal sealed partial class PostgresBuildStore : IBuildStore, IAsyncDisposable, IDisposable
{
    private const string Active = "('queued','running','succeeded')";
    private const long SubmitLock = 0x506F6C7953756269; // "PolySubi": serialises SubmitAsync across replicas.
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly ILogger<PostgresBuildStore> _logger;
    private readonly Lazy<Task> _initialized;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private Task? _renewal;

    public PostgresBuildStore(IOptions<BuilderOptions> builder, IOptions<StoreOptions> options, TimeProvider time, ILogger<PostgresBuildStore> logger)
    {
        var connectionString = options.Value.ResolveConnectionString(builder.Value.StateDirectory);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _time = time;
        _lease = options.Value.LeaseDuration;
        _logger = logger;
        Owner = $"{Environment.MachineName}:{Environment.ProcessId}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        _initialized = new Lazy<Task>(() => StoreMigrations.UpgradePostgresAsync(connectionString, CancellationToken.None));
    }

    /// <summary>This replica's name on the leases it holds.</summary>
    public string Owner { get; }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(@k)", cancellationToken, ("k", SubmitLock));
        if (deliveryId is not null && await ScalarAsync(connection, "SELECT build_id FROM deliveries WHERE delivery_id = @d", cancellationToken, ("d", deliveryId)) is string seen)
        {
            // A redelivery of a build that failed builds it again (see SqliteBuildStore); anything else stays a duplicate.
            var requeued = await ExecuteAsync(connection,
                "UPDATE builds SET status = 'queued', started_at = NULL, finished_at = NULL, error = NULL, images = NULL, timings = NULL, retries = NULL, warnings = NULL, " +
                "lease_owner = NULL, lease_expires = NULL WHERE id = @id AND status = 'failed'",
                cancellationToken, ("id", seen)) == 1;
            if (requeued)
            {
                await ExecuteAsync(connection, "DELETE FROM build_logs WHERE build_id = @id", cancellationToken, ("id", seen));
            }

            var build = (await GetAsync(connection, seen, cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return new SubmitResult(build, Created: false, Requeued: requeued);
        }

        var existing = await QueryAsync(connection,
            $"SELECT {BuildRowReader.Columns} FROM builds WHERE registry = @r AND repository = @p AND commit_sha = @c AND platforms = @pl AND status IN {Active} ORDER BY seq DESC LIMIT 1",
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
            await ExecuteAsync(connection,
                "UPDATE builds SET status = 'superseded', superseded_by = @id, finished_at = @now WHERE status = 'queued' AND registry = @r AND repository = @p AND branch = @b AND commit_sha <> @c",
                cancellationToken, ("id", id), ("now", now), ("r", request.Registry), ("p", request.Repository), ("b", request.Branch), ("c", request.Commit));
            await ExecuteAsync(connection,
                "INSERT INTO builds (id, source_url, registry, repository, commit_sha, branch, is_default, platforms, trigger, status, created_at, reuse_of, trace_parent) " +
                "VALUES (@id, @s, @r, @p, @c, @b, @def, @pl, @t, 'queued', @now, @reuse, @tp)",
                cancellationToken, ("id", id), ("s", request.SourceUrl), ("r", request.Registry), ("p", request.Repository), ("c", request.Commit),
                ("b", request.Branch), ("def", request.IsDefaultBranch ? 1 : 0), ("pl", request.PlatformsKey), ("t", request.Trigger),
                ("now", now), ("reuse", existing.FirstOrDefault()?.Id), ("tp", request.TraceParent));
            result = new SubmitResult((await GetAsync(connection, id, cancellationToken))!, Created: true);
        }

        if (deliveryId is not null)
        {
            await ExecuteAsync(connection, "INSERT INTO deliveries (delivery_id, build_id, received_at) VALUES (@d, @b, @now)",
                cancellationToken, ("d", deliveryId), ("b", result.Build.Id), ("now", now));
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var now = _time.GetUtcNow();

        // Queued builds, and running ones whose replica stopped renewing its lease; SKIP LOCKED lets replicas claim side by side.
        var id = await ScalarAsync(connection,
            "UPDATE builds SET status = 'running', started_at = @started, attempts = attempts + 1, lease_owner = @owner, lease_expires = @expires " +
            "WHERE id = (SELECT b.id FROM builds b WHERE (b.status = 'queued' OR (b.status = 'running' AND b.lease_expires < @now)) " +
            "AND (b.reuse_of IS NULL OR NOT EXISTS (SELECT 1 FROM builds s WHERE s.id = b.reuse_of AND s.status IN ('queued','running'))) " +
            "ORDER BY b.seq LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id",
            cancellationToken, ("started", BuildRowReader.Time(now)), ("owner", Owner), ("expires", now + _lease), ("now", now)) as string;
        if (id is null)
        {
            return null;
        }

        EnsureRenewing();
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> TryClaimAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var claimed = await ExecuteAsync(connection,
            "UPDATE builds SET status = 'running', started_at = @started, attempts = attempts + 1, lease_owner = @owner, lease_expires = @expires WHERE id = @id AND status = 'queued'",
            cancellationToken, ("started", BuildRowReader.Time(now)), ("owner", Owner), ("expires", now + _lease), ("id", id)) == 1;
        if (!claimed)
        {
            return null;
        }

        EnsureRenewing();
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunningIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id FROM builds WHERE status = 'running' AND (lease_expires IS NULL OR lease_expires < @now) ORDER BY seq",
            ("now", _time.GetUtcNow()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <inheritdoc />
    public async Task<int> RequeueRunningAsync(CancellationToken cancellationToken)
    {
        // Only builds whose lease expired: the others belong to replicas that are alive.
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection,
            "UPDATE builds SET status = 'queued', started_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE status = 'running' AND (lease_expires IS NULL OR lease_expires < @now)",
            cancellationToken, ("now", _time.GetUtcNow()));
    }

    /// <inheritdoc />
    public async Task RequeueAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection,
            "UPDATE builds SET status = 'queued', started_at = NULL, lease_owner = NULL, lease_expires = NULL WHERE id = @id AND status = 'running' AND lease_owner = @owner",
            cancellationToken, ("id", id), ("owner", Owner));
    }

    /// <inheritdoc />
    public async Task<bool> CancelQueuedAsync(string id, BuildError error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection,
            "UPDATE builds SET status = 'cancelled', finished_at = @now, error = @e WHERE id = @id AND status = 'queued'",
            cancellationToken, ("now", BuildRowReader.Time(_time.GetUtcNow())), ("e", BuildRowReader.ToJson(error)), ("id", id)) > 0;
    }

    /// <inheritdoc />
    public async Task FinishAsync(
        string id, BuildStatus status, IReadOnlyList<BuiltImage> images, IReadOnlyList<PlatformTiming> timings, IReadOnlyList<string> retries,
        IReadOnlyList<string> warnings, BuildError? error, IReadOnlyDictionary<string, string> logs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Only the lease holder records the outcome: a replica that lost its lease (paused longer than the lease) and finished
        // anyway must not overwrite what the replica that took the build over records.
        var updated = await ExecuteAsync(connection,
            "UPDATE builds SET status = @s, finished_at = @now, images = @i, timings = @t, retries = @r, warnings = @w, error = @e, lease_owner = NULL, lease_expires = NULL " +
            "WHERE id = @id AND (lease_owner = @owner OR lease_owner IS NULL)",
            cancellationToken, ("s", status.ToString().ToLowerInvariant()), ("now", BuildRowReader.Time(_time.GetUtcNow())),
            ("i", BuildRowReader.ToJson(images)), ("t", BuildRowReader.ToJson(timings)), ("r", BuildRowReader.ToJson(retries)),
            ("w", warnings.Count == 0 ? null : BuildRowReader.ToJson(warnings)), ("e", BuildRowReader.ToJson(error)), ("id", id), ("owner", Owner));
        if (updated == 0)
        {
            Log.LeaseLost(_logger, id, Owner);
            return;
        }

        foreach (var (platform, text) in logs)
        {
            await ExecuteAsync(connection,
                "INSERT INTO build_logs (build_id, platform, text) VALUES (@id, @p, @t) ON CONFLICT (build_id, platform) DO UPDATE SET text = EXCLUDED.text",
                cancellationToken, ("id", id), ("p", platform), ("t", text));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await GetAsync(connection, id, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<BuildRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds ORDER BY seq DESC LIMIT @n", cancellationToken, ("n", limit));
    }

    /// <inheritdoc />
    public async Task<int> PruneLogsAsync(DateTimeOffset finishedBefore, int keep, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, BuildLogRetention.Delete("@"), cancellationToken, ("cutoff", BuildRowReader.Time(finishedBefore)), ("keep", keep));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetLogsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT platform, text FROM build_logs WHERE build_id = @id ORDER BY platform", ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            logs[reader.GetString(0)] = reader.GetString(1);
        }

        return logs;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopRenewingAsync();
        await _dataSource.DisposeAsync();
    }

    /// <summary>Stops renewing this replica's leases (shutdown); its claimed builds go to another replica once they expire.</summary>
    public async Task StopRenewingAsync()
    {
        Task? renewal;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            renewal = _renewal;
        }

        if (renewal is not null)
        {
            await renewal;
        }
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // A queued or running build covers any request for the same commit; a succeeded one only if it already has the tags.
    private static bool Covers(BuildRecord existing, BuildRequest request) =>
        existing.Status != BuildStatus.Succeeded
            ? existing.Request.Branch == request.Branch || request.Branch is null
            : request.Tags.All(t => existing.Images.All(i => i.Tags.Contains(t)));

    private void EnsureRenewing()
    {
        lock (_gate)
        {
            if (!_stopping.IsCancellationRequested)
            {
                _renewal ??= Task.Run(() => RenewAsync(_stopping.Token));
            }
        }
    }

    // One statement renews every lease this replica holds, every third of the lease.
    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_lease / 3, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
                    await ExecuteAsync(connection, "UPDATE builds SET lease_expires = @expires WHERE lease_owner = @owner AND status = 'running'",
                        cancellationToken, ("expires", _time.GetUtcNow() + _lease), ("owner", Owner));
                }
                catch (NpgsqlException exception)
                {
                    Log.RenewFailed(_logger, Owner, exception);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private static async Task<BuildRecord?> GetAsync(NpgsqlConnection connection, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds WHERE id = @id", cancellationToken, ("id", id))).FirstOrDefault();

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _initialized.Value;
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<BuildRecord>> QueryAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var records = new List<BuildRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(BuildRowReader.Read(reader));
        }

        return records;
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            // Npgsql sends a DateTimeOffset as timestamptz only in UTC.
            command.Parameters.AddWithValue(name, value is DateTimeOffset time ? time.ToUniversalTime() : value ?? DBNull.Value);
        }

        return command;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 320, Level = LogLevel.Warning, Message = "Build {BuildId} finished on replica {Owner} after it lost its lease; another replica owns it, this outcome is dropped")]
        public static partial void LeaseLost(ILogger logger, string buildId, string owner);

        [LoggerMessage(EventId = 321, Level = LogLevel.Warning, Message = "Replica {Owner} could not renew its build leases; they expire unless the next renewal succeeds")]
        public static partial void RenewFailed(ILogger logger, string owner, Exception exception);
    }
}
