using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Npgsql;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Benchmarks.StoreScale;

/// <summary>
/// P9: the activation store at scale, on one provider. The records a month of activations leaves (30 days, <c>records</c>
/// of them) go into an empty store: the first and the last <c>baseline</c> through the store's own path
/// (<see cref="DbActivationStore.SaveManyAsync"/>, 1,000 per transaction: the insert rate at the start and at full size),
/// the rest by the provider's bulk path (SQLite: one prepared INSERT per 50,000-row transaction; PostgreSQL: binary COPY)
/// to keep the run short. `activations list` (newest 50, and newest 50 of one action) is timed at <c>baseline</c> records
/// (the baseline) and at <c>records</c>; then retention (Activations:Retention:MaxAge 7 days) prunes, a further week of
/// activations arrives, and it prunes again: the size must not grow past the full month's.
/// </summary>
internal sealed class StoreScaleBenchmark(string provider, int records, int baseline, int queries)
{
    private const int Batch = 1000;
    private const int BulkBatch = 50_000;
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(7);

    public async Task<JsonObject> RunAsync(string? postgresConnection, CancellationToken cancellationToken)
    {
        var end = TimeProvider.System.GetUtcNow();
        var directory = Directory.CreateTempSubdirectory("invoker-p9-").FullName;
        var databaseName = $"polyarch_bench_p9_{Environment.ProcessId}";
        StoreDatabase database = provider == "postgres"
            ? new PostgresInvokerDatabase(await CreatePostgresDatabaseAsync(postgresConnection!, databaseName, cancellationToken))
            : new InvokerDatabase(Path.Combine(directory, "invoker.db"));
        try
        {
            var store = new DbActivationStore(database);
            var generator = new ActivationRecordGenerator(18, end, Month, records);
            Console.WriteLine($"P9 {provider}: {records:N0} activation records over {Month.TotalDays} days (baseline {baseline:N0})");

            var (firstRate, bytes) = await SaveThroughStoreAsync(store, generator, baseline, cancellationToken);
            var sizeAtBaseline = await SizeAsync(database, cancellationToken);
            var newestAtBaseline = await TimeQueriesAsync(() => store.ListAsync(null, 50, cancellationToken));
            var byActionAtBaseline = await TimeQueriesAsync(() => store.ListAsync(ActivationRecordGenerator.ActionName(7), 50, cancellationToken));
            Console.WriteLine($"  at {baseline:N0}: store insert {firstRate:N0}/s, newest 50 {newestAtBaseline}, by action {byActionAtBaseline}, {sizeAtBaseline / 1e6:F1} MB");

            var bulkClock = Stopwatch.GetTimestamp();
            var bulk = records - (2 * baseline);
            await BulkInsertAsync(database, generator, bulk, cancellationToken);
            var bulkRate = bulk / Stopwatch.GetElapsedTime(bulkClock).TotalSeconds;
            var (lastRate, _) = await SaveThroughStoreAsync(store, generator, baseline, cancellationToken);
            var sizeAtFull = await SizeAsync(database, cancellationToken);
            var newest = await TimeQueriesAsync(() => store.ListAsync(null, 50, cancellationToken));
            var byAction = await TimeQueriesAsync(() => store.ListAsync(ActivationRecordGenerator.ActionName(7), 50, cancellationToken));
            var get = await TimeQueriesAsync(async () => [(await store.GetAsync((await store.ListAsync(null, 1, cancellationToken))[0].ActivationId, cancellationToken))!]);
            Console.WriteLine($"  at {records:N0}: bulk {bulkRate:N0}/s, store insert {lastRate:N0}/s, newest 50 {newest}, by action {byAction}, {sizeAtFull / 1e6:F1} MB");

            // Retention at its default age: a month of records pruned to the last week, then a further week arrives and is pruned.
            var pruneStarted = TimeProvider.System.GetUtcNow();
            var pruneClock = Stopwatch.GetTimestamp();
            var pruned = await store.PruneAsync(end - MaxAge, null, cancellationToken);
            var pruneSeconds = Stopwatch.GetElapsedTime(pruneClock).TotalSeconds;
            var vacuumed = await AwaitVacuumAsync(database, pruneStarted, cancellationToken);
            var sizeAfterPrune = await SizeAsync(database, cancellationToken);
            var week = (int)(records * (MaxAge / Month));
            var nextWeek = new ActivationRecordGenerator(19, end + MaxAge, MaxAge, week);
            await BulkInsertAsync(database, nextWeek, week, cancellationToken);
            var prunedAgain = await store.PruneAsync(end, null, cancellationToken);
            var sizeAfterWeek = await SizeAsync(database, cancellationToken);
            var newestAfter = await TimeQueriesAsync(() => store.ListAsync(null, 50, cancellationToken));
            Console.WriteLine($"  retention (MaxAge 7 days): pruned {pruned:N0} in {pruneSeconds:F1} s → {sizeAfterPrune / 1e6:F1} MB; a week more ({week:N0}) and pruned {prunedAgain:N0} → {sizeAfterWeek / 1e6:F1} MB (at {records:N0}: {sizeAtFull / 1e6:F1} MB)");

            return new JsonObject
            {
                ["provider"] = provider,
                ["records"] = records,
                ["baselineRecords"] = baseline,
                ["recordBytesAverage"] = bytes,
                ["storeInsertPerSecondAtBaseline"] = firstRate,
                ["storeInsertPerSecondAtFull"] = lastRate,
                ["bulkInsertPerSecond"] = bulkRate,
                ["newest50AtBaseline"] = newestAtBaseline.ToJson(),
                ["byAction50AtBaseline"] = byActionAtBaseline.ToJson(),
                ["newest50"] = newest.ToJson(),
                ["byAction50"] = byAction.ToJson(),
                ["getById"] = get.ToJson(),
                ["bytesAtBaseline"] = sizeAtBaseline,
                ["bytesAtFull"] = sizeAtFull,
                ["retention"] = new JsonObject
                {
                    ["maxAgeDays"] = MaxAge.TotalDays,
                    ["pruned"] = pruned,
                    ["pruneSeconds"] = pruneSeconds,
                    ["vacuumSeen"] = vacuumed,
                    ["bytesAfterPrune"] = sizeAfterPrune,
                    ["weekRecords"] = week,
                    ["prunedAfterWeek"] = prunedAgain,
                    ["bytesAfterWeek"] = sizeAfterWeek,
                    ["newest50AfterWeek"] = newestAfter.ToJson(),
                },
            };
        }
        finally
        {
            database.Dispose();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            if (provider == "postgres")
            {
                await DropPostgresDatabaseAsync(postgresConnection!, databaseName);
            }
        }
    }

    private static async Task<(double PerSecond, double AverageBytes)> SaveThroughStoreAsync(DbActivationStore store, ActivationRecordGenerator generator, int count, CancellationToken cancellationToken)
    {
        long bytes = 0;
        var clock = Stopwatch.GetTimestamp();
        for (var done = 0; done < count; done += Batch)
        {
            var batch = Enumerable.Range(0, Math.Min(Batch, count - done)).Select(_ => generator.Next()).ToList();
            bytes += batch.Sum(r => (long)JsonSerializer.SerializeToUtf8Bytes(r, InvokerJson.Options).Length);
            await store.SaveManyAsync(batch, cancellationToken);
        }

        return (count / Stopwatch.GetElapsedTime(clock).TotalSeconds, (double)bytes / count);
    }

    private static async Task BulkInsertAsync(StoreDatabase database, ActivationRecordGenerator generator, int count, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        for (var done = 0; done < count; done += BulkBatch)
        {
            var batch = Enumerable.Range(0, Math.Min(BulkBatch, count - done)).Select(_ => generator.Next()).ToList();
            if (connection is NpgsqlConnection postgres)
            {
                await using var copy = await postgres.BeginBinaryImportAsync("COPY activations (id, action, start, status, record) FROM STDIN (FORMAT BINARY)", cancellationToken);
                foreach (var record in batch)
                {
                    await copy.StartRowAsync(cancellationToken);
                    await copy.WriteAsync(record.ActivationId, cancellationToken);
                    await copy.WriteAsync(record.Action, cancellationToken);
                    await copy.WriteAsync(record.Start.ToUnixTimeMilliseconds(), cancellationToken);
                    await copy.WriteAsync(record.Status, cancellationToken);
                    await copy.WriteAsync(JsonSerializer.Serialize(record, InvokerJson.Options), cancellationToken);
                }

                await copy.CompleteAsync(cancellationToken);
                continue;
            }

            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.Command(transaction, "INSERT INTO activations (id, action, start, status, record) VALUES (@id, @action, @start, @status, @record)");
            var id = command.Add("id", "");
            var action = command.Add("action", "");
            var start = command.Add("start", 0L);
            var status = command.Add("status", "");
            var json = command.Add("record", "");
            foreach (var record in batch)
            {
                id.Value = record.ActivationId;
                action.Value = record.Action;
                start.Value = record.Start.ToUnixTimeMilliseconds();
                status.Value = record.Status;
                json.Value = JsonSerializer.Serialize(record, InvokerJson.Options);
                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>p50/p99 of <c>queries</c> runs after 20 warm-up runs; each must answer newest first.</summary>
    private async Task<Percentiles> TimeQueriesAsync(Func<Task<IReadOnlyList<ActivationRecord>>> query)
    {
        var samples = new List<double>();
        for (var i = 0; i < queries + 20; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            var answer = await query();
            var elapsed = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
            if (answer.Count == 0 || answer.Zip(answer.Skip(1)).Any(p => p.First.Start < p.Second.Start))
            {
                throw new InvalidOperationException($"The store answered {answer.Count} records, not newest first");
            }

            if (i >= 20)
            {
                samples.Add(elapsed);
            }
        }

        return Percentiles.Of(samples);
    }

    /// <summary>Bytes the activations take: SQLite's file (after a WAL checkpoint), PostgreSQL's table with its indexes and TOAST.</summary>
    private static async Task<long> SizeAsync(StoreDatabase database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (connection is NpgsqlConnection)
        {
            await using var size = connection.Command("SELECT pg_total_relation_size('activations')");
            return (long)(await size.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var checkpoint = connection.Command("PRAGMA wal_checkpoint(TRUNCATE)"))
        {
            await checkpoint.ExecuteNonQueryAsync(cancellationToken);
        }

        var path = ((InvokerDatabase)database).Path;
        return new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
    }

    /// <summary>
    /// PostgreSQL reuses a deleted row's space once a vacuum has seen it: the store vacuums the table itself after a big
    /// prune (DbActivationStore.VacuumAfter), so this normally sees that VACUUM at once; otherwise it waits up to two minutes
    /// for autovacuum (a minute's nap by default; throttled, longer on a busy machine — seen: none within 2 min, and the
    /// table grew 23 % in the further week). A vacuum that finished after the prune but began before it (one the bulk fill's
    /// inserts started) cannot remove the pruned rows: it counts only once the table's dead rows are gone too. SQLite reuses
    /// freed pages at once.
    /// </summary>
    private static async Task<bool?> AwaitVacuumAsync(StoreDatabase database, DateTimeOffset since, CancellationToken cancellationToken)
    {
        if (!database.IsPostgres)
        {
            return null;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        for (var i = 0; i < 120; i++)
        {
            await using var command = connection.Command("SELECT GREATEST(last_vacuum, last_autovacuum), n_dead_tup FROM pg_stat_user_tables WHERE relname = 'activations'");
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken) && !reader.IsDBNull(0)
                    && new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(0), DateTimeKind.Utc)) >= since
                    && reader.GetInt64(1) < 1000)
                {
                    return true;
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }

        return false;
    }

    private static async Task<string> CreatePostgresDatabaseAsync(string connection, string name, CancellationToken cancellationToken)
    {
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Pooling = false };
        await using (var server = new NpgsqlConnection(admin.ConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
            await drop.ExecuteNonQueryAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", server);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(connection) { Database = name }.ConnectionString;
    }

    private static async Task DropPostgresDatabaseAsync(string connection, string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(connection) { Database = "postgres", Pooling = false };
        await using var server = new NpgsqlConnection(admin.ConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
