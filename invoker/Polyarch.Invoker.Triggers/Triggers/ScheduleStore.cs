using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// The last occurrence each scheduled rule fired (or, before its first, the moment it was created), so that after a
/// restart the scheduler neither repeats an occurrence nor misses one. Keyed by rule; a rule replaced with another
/// schedule starts afresh from the moment it was replaced.
/// </summary>
internal sealed class ScheduleStore(TriggerDatabase database)
{
    /// <summary>
    /// Records a rule's schedule from <paramref name="now"/> on, unless the rule already has this schedule (then its last
    /// occurrence stays: replacing a rule with the same schedule neither repeats nor skips one).
    /// </summary>
    public async Task BaselineAsync(string rule, string signature, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, """
            INSERT INTO schedules (rule, cron, last_occurrence) VALUES (@rule, @cron, @last)
            ON CONFLICT(rule) DO UPDATE SET cron = excluded.cron, last_occurrence = excluded.last_occurrence
            WHERE schedules.cron <> excluded.cron
            """,
            cancellationToken, ("rule", rule), ("cron", signature), ("last", now.ToUnixTimeMilliseconds()));
    }

    /// <summary>The last occurrence fired (or the baseline) of a rule with this schedule, or null when it has none yet.</summary>
    public async Task<DateTimeOffset?> LastAsync(string rule, string signature, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.Command(
            "SELECT last_occurrence FROM schedules WHERE rule = @rule AND cron = @cron", ("rule", rule), ("cron", signature));
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))
            : null;
    }

    /// <summary>Moves a rule's last occurrence forward (never back).</summary>
    public async Task AdvanceAsync(string rule, string signature, DateTimeOffset occurrence, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null,
            "UPDATE schedules SET last_occurrence = @last WHERE rule = @rule AND cron = @cron AND last_occurrence < @last",
            cancellationToken, ("rule", rule), ("cron", signature), ("last", occurrence.ToUnixTimeMilliseconds()));
    }

    /// <summary>Forgets a deleted rule's schedule.</summary>
    public async Task DeleteAsync(string rule, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(null, "DELETE FROM schedules WHERE rule = @rule", cancellationToken, ("rule", rule));
    }
}
