namespace Polyarch.Builder.Records;

/// <summary>The SQL the build store prunes build logs with (ISO-8601 UTC text sorts by time).</summary>
internal static class BuildLogRetention
{
    /// <summary>The logs of builds that finished (not queued or running) and are older than <c>@cutoff</c> or beyond the newest <c>@keep</c>.</summary>
    public const string Delete =
        "DELETE FROM build_logs WHERE build_id IN (SELECT id FROM builds WHERE status NOT IN ('queued','running') AND finished_at IS NOT NULL " +
        "AND (finished_at < @cutoff OR id NOT IN (SELECT id FROM builds WHERE status NOT IN ('queued','running') AND finished_at IS NOT NULL " +
        "ORDER BY finished_at DESC, id LIMIT @keep)))";
}
