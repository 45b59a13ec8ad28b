using Cronos;

namespace Polyarch.Invoker.Rules;

/// <summary>A rule's cron schedule (Cronos): five fields, or six with seconds first, in UTC unless a time zone is given.</summary>
internal sealed class RuleSchedule
{
    /// <summary>The accepted form, for messages.</summary>
    public const string Form = "five fields 'minute hour day-of-month month day-of-week' such as '*/5 * * * *' or '0 3 * * MON-FRI' (six with a seconds field first; also @hourly, @daily, @weekly, @monthly, @yearly)";

    private RuleSchedule(CronExpression expression, TimeZoneInfo zone)
    {
        Expression = expression;
        Zone = zone;
    }

    public CronExpression Expression { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses a schedule; the error names the flag and the accepted form.</summary>
    public static bool TryParse(string cron, string? timeZone, out RuleSchedule? schedule, out string? error)
    {
        schedule = null;
        error = null;
        var fields = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
        var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        if (fields is not (1 or 5 or 6) || !CronExpression.TryParse(cron.Trim(), format, out var expression))
        {
            error = $"Schedule (--schedule) '{Printable(cron)}' is not a cron expression: use {Form}.";
            return false;
        }

        var zone = TimeZoneInfo.Utc;
        if (timeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out zone))
        {
            error = $"Time zone (--time-zone) '{Printable(timeZone)}' is not a time zone id: use an IANA id such as Europe/Berlin or America/New_York, or leave it out for UTC.";
            return false;
        }

        schedule = new RuleSchedule(expression, zone!);
        return true;
    }

    /// <summary>The schedule of a valid rule.</summary>
    public static RuleSchedule For(RuleDefinition rule) =>
        TryParse(rule.Schedule ?? "", rule.TimeZone, out var schedule, out var error) ? schedule! : throw new InvalidRuleException([error!]);

    /// <summary>The identity of a rule's schedule: a rule replaced with another schedule starts counting afresh.</summary>
    public static string Signature(RuleDefinition rule) => $"{rule.Schedule} {rule.TimeZone ?? "UTC"}";

    /// <summary>The latest occurrence after <paramref name="after"/> up to and including <paramref name="now"/>, and how many there were.</summary>
    public (DateTimeOffset? Latest, int Count) Due(DateTimeOffset after, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        var count = 0;
        foreach (var occurrence in Expression.GetOccurrences(after, now, Zone, fromInclusive: false, toInclusive: true))
        {
            latest = occurrence;
            count++;
        }

        return (latest, count);
    }

    /// <summary>The next occurrence after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after) => Expression.GetNextOccurrence(after, Zone);

    private static string Printable(string input) => new([.. input.Take(200).Select(c => char.IsControl(c) ? '?' : c)]);
}
