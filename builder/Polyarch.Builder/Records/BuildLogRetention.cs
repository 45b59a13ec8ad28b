namespace Polyarch.Builder.Records;

/// <summary>The SQL both stores prune build logs with (ISO-8601 UTC text sorts by time).</summary>
internal static class BuildLogRetention
{
    /// <summary>
    /// The statement for a provider whose parameters start with <paramref name="prefix"/> (<c>$</c> or <c>@</c>): the logs of
    /// builds that finished (not queued or running) and are too old or beyond the newest <c>keep</c>.
    /// </summary>
    public static string Delete(string prefix) =>
        "DELETE FROM build_logs WHERE build_id IN (SELECT id FROM builds WHERE status NOT IN ('queued','running') AND finished_at IS NOT NULL " +
        $"AND (finished_at < {prefix}cutoff OR id NOT IN (SELECT id FROM builds WHERE status NOT IN ('queued','running') AND finished_at IS NOT NULL " +
        $"ORDER BY finished_at DESC, id LIMIT {prefix}keep)))";
}
