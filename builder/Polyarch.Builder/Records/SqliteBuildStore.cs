using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// The build store in SQLite under the state directory (Store:Provider=sqlite, the default): one process owns the
/// builds it claims, so a build still running at start-up was interrupted and is queued again.
/// </summary>
internal sealed class SqliteBuildStore : IBuildStore
{
    private const string Active = "('queued','running','succeeded')";
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly Lazy<Task> _initialized;

    public SqliteBuildStore(IOptions<BuilderOptions> options, TimeProvider time)
    {
        var directory = StatePaths.BuilderDirectory(options.Value);
        StatePaths.CreatePrivateDirectory(directory);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, "builds.db"),
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _time = time;
        _initialized = new Lazy<Task>(() => Task.Run(() => StoreMigrations.UpgradeSqlite(_connectionString)));
    }

    /// <inheritdoc />
    public async Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        if (deliveryId is not null && await ScalarAsync(connection, "SELECT build_id FROM deliveries WHERE delivery_id = $d", cancellationToken, ("$d", deliveryId)) is string seen)
        {
            // A redelivery ("Redeliver" keeps the delivery id; post-receive derives it from commit and ref) of a
            // build that failed — often on a short outage — builds it again; a queued, running, succeeded or
            // superseded build stays a duplicate.
            var requeued = await ExecuteAsync(connection,
                "UPDATE builds SET status = 'queued', started_at = NULL, finished_at = NULL, error = NULL, images = NULL, timings = NULL, retries = NULL, warnings = NULL " +
                "WHERE id = $id AND status = 'failed'",
                cancellationToken, ("$id", seen)) == 1;
            if (requeued)
            {
                await ExecuteAsync(connection, "DELETE FROM build_logs WHERE build_id = $id", cancellationToken, ("$id", seen));
            }

            var build = (await GetAsync(connection, seen, cancellationToken))!;
            await transaction.CommitAsync(cancellationToken);
            return new SubmitResult(build, Created: false, Requeued: requeued);
        }

        var existing = await QueryAsync(connection,
            $"SELECT {BuildRowReader.Columns} FROM builds WHERE registry = $r AND repository = $p AND commit_sha = $c AND platforms = $pl AND status IN {Active} ORDER BY rowid DESC LIMIT 1",
            cancellationToken, ("$r", request.Registry), ("$p", request.Repository), ("$c", request.Commit), ("$pl", request.PlatformsKey));
        var covering = existing.FirstOrDefault(b => Covers(b, request));
        var now = _time.GetUtcNow();
        SubmitResult result;
        if (covering is not null)
        {
            result = new SubmitResult(covering, Created: false);
        }
        else
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            await ExecuteAsync(connection,
                "UPDATE builds SET status = 'superseded', superseded_by = $id, finished_at = $now WHERE status = 'queued' AND registry = $r AND repository = $p AND branch = $b AND commit_sha <> $c",
                cancellationToken, ("$id", id), ("$now", BuildRowReader.Time(now)), ("$r", request.Registry), ("$p", request.Repository), ("$b", request.Branch), ("$c", request.Commit));
            await ExecuteAsync(connection,
                "INSERT INTO builds (id, source_url, registry, repository, commit_sha, branch, is_default, platforms, trigger, status, created_at, reuse_of, trace_parent) " +
                "VALUES ($id, $s, $r, $p, $c, $b, $def, $pl, $t, 'queued', $now, $reuse, $tp)",
                cancellationToken, ("$id", id), ("$s", request.SourceUrl), ("$r", request.Registry), ("$p", request.Repository), ("$c", request.Commit),
                ("$b", request.Branch), ("$def", request.IsDefaultBranch ? 1 : 0), ("$pl", request.PlatformsKey), ("$t", request.Trigger),
                ("$now", BuildRowReader.Time(now)), ("$reuse", existing.FirstOrDefault()?.Id), ("$tp", request.TraceParent));
            result = new SubmitResult((await GetAsync(connection, id, cancellationToken))!, Created: true);
        }

        if (deliveryId is not null)
        {
            await ExecuteAsync(connection, "INSERT INTO deliveries (delivery_id, build_id, received_at) VALUES ($d, $b, $now)",
                cancellationToken, ("$d", deliveryId), ("$b", result.Build.Id), ("$now", BuildRowReader.Time(now)));
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var id = await ScalarAsync(connection,
            "SELECT b.id FROM builds b WHERE b.status = 'queued' AND (b.reuse_of IS NULL OR NOT EXISTS " +
            "(SELECT 1 FROM builds s WHERE s.id = b.reuse_of AND s.status IN ('queued','running'))) ORDER BY b.rowid LIMIT 1",
            cancellationToken) as string;
        var claimed = id is not null && await ClaimAsync(connection, id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return claimed ? await GetAsync(id!, cancellationToken) : null;
    }

    /// <inheritdoc />
    public async Task<BuildRecord?> TryClaimAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ClaimAsync(connection, id, cancellationToken) ? await GetAsync(connection, id, cancellationToken) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunningIdsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT id FROM builds WHERE status = 'running' ORDER BY rowid");
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
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, "UPDATE builds SET status = 'queued', started_at = NULL WHERE status = 'running'", cancellationToken);
    }

    /// <inheritdoc />
    public async Task RequeueAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "UPDATE builds SET status = 'queued', started_at = NULL WHERE id = $id AND status = 'running'", cancellationToken, ("$id", id));
    }

    /// <inheritdoc />
    public async Task<bool> CancelQueuedAsync(string id, BuildError error, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection,
            "UPDATE builds SET status = 'cancelled', finished_at = $now, error = $e WHERE id = $id AND status = 'queued'",
            cancellationToken, ("$now", BuildRowReader.Time(_time.GetUtcNow())), ("$e", BuildRowReader.ToJson(error)), ("$id", id)) > 0;
    }

    /// <inheritdoc />
    public async Task FinishAsync(
        string id, BuildStatus status, IReadOnlyList<BuiltImage> images, IReadOnlyList<PlatformTiming> timings, IReadOnlyList<string> retries,
        IReadOnlyList<string> warnings, BuildError? error, IReadOnlyDictionary<string, string> logs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection,
            "UPDATE builds SET status = $s, finished_at = $now, images = $i, timings = $t, retries = $r, warnings = $w, error = $e WHERE id = $id",
            cancellationToken, ("$s", status.ToString().ToLowerInvariant()), ("$now", BuildRowReader.Time(_time.GetUtcNow())),
            ("$i", BuildRowReader.ToJson(images)), ("$t", BuildRowReader.ToJson(timings)), ("$r", BuildRowReader.ToJson(retries)),
            ("$w", warnings.Count == 0 ? null : BuildRowReader.ToJson(warnings)), ("$e", BuildRowReader.ToJson(error)), ("$id", id));
        foreach (var (platform, text) in logs)
        {
            await ExecuteAsync(connection, "INSERT OR REPLACE INTO build_logs (build_id, platform, text) VALUES ($id, $p, $t)",
                cancellationToken, ("$id", id), ("$p", platform), ("$t", text));
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
        return await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds ORDER BY rowid DESC LIMIT $n", cancellationToken, ("$n", limit));
    }

    /// <inheritdoc />
    public async Task<int> PruneLogsAsync(DateTimeOffset finishedBefore, int keep, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, BuildLogRetention.Delete("$"), cancellationToken, ("$cutoff", BuildRowReader.Time(finishedBefore)), ("$keep", keep));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, string>> GetLogsAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, "SELECT platform, text FROM build_logs WHERE build_id = $id ORDER BY platform", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var logs = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            logs[reader.GetString(0)] = reader.GetString(1);
        }

        return logs;
    }

    // A queued or running build covers any request for the same commit; a succeeded one only if it already has the tags.
    private static bool Covers(BuildRecord existing, BuildRequest request) =>
        existing.Status != BuildStatus.Succeeded
            ? existing.Request.Branch == request.Branch || request.Branch is null
            : request.Tags.All(t => existing.Images.All(i => i.Tags.Contains(t)));

    private async Task<bool> ClaimAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, "UPDATE builds SET status = 'running', started_at = $now, attempts = attempts + 1 WHERE id = $id AND status = 'queued'",
            cancellationToken, ("$now", BuildRowReader.Time(_time.GetUtcNow())), ("$id", id)) == 1;

    private static async Task<BuildRecord?> GetAsync(SqliteConnection connection, string id, CancellationToken cancellationToken) =>
        (await QueryAsync(connection, $"SELECT {BuildRowReader.Columns} FROM builds WHERE id = $id", cancellationToken, ("$id", id))).FirstOrDefault();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await _initialized.Value;

        return connection;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task<List<BuildRecord>> QueryAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
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

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
