using System.Globalization;
using System.Text.Json;
using System.Data.Common;
using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Records;

/// <summary>Maps rows of the builds table (SQLite or PostgreSQL) to <see cref="BuildRecord"/>.</summary>
internal static class BuildRowReader
{
    public const string Columns =
        "id, source_url, registry, repository, commit_sha, branch, is_default, platforms, trigger, status, created_at, started_at, finished_at, attempts, reuse_of, superseded_by, images, timings, retries, error, warnings, trace_parent";

    public static BuildRecord Read(DbDataReader row)
    {
        var request = new BuildRequest(
            row.GetString(1), row.GetString(2), row.GetString(3), row.GetString(4), Nullable(row, 5), Convert.ToInt64(row.GetValue(6), CultureInfo.InvariantCulture) != 0,
            row.GetString(7).Split(',', StringSplitOptions.RemoveEmptyEntries), row.GetString(8))
        {
            TraceParent = Nullable(row, 21),
        };
        return new BuildRecord(
            row.GetString(0),
            request,
            Enum.Parse<BuildStatus>(row.GetString(9), ignoreCase: true),
            Time(row.GetString(10)),
            Nullable(row, 11) is { } started ? Time(started) : null,
            Nullable(row, 12) is { } finished ? Time(finished) : null,
            Convert.ToInt32(row.GetValue(13), CultureInfo.InvariantCulture),
            Nullable(row, 14),
            Nullable(row, 15),
            Json<List<BuiltImage>>(row, 16) ?? [],
            Json<List<PlatformTiming>>(row, 17) ?? [],
            Json<List<string>>(row, 18) ?? [],
            Json<BuildError>(row, 19))
        {
            Warnings = Json<List<string>>(row, 20) ?? [],
        };
    }

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static string? ToJson<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, BuildJson.Options);

    private static DateTimeOffset Time(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);

    private static string? Nullable(DbDataReader row, int ordinal) => row.IsDBNull(ordinal) ? null : row.GetString(ordinal);

    private static T? Json<T>(DbDataReader row, int ordinal)
        where T : class =>
        Nullable(row, ordinal) is { } text ? JsonSerializer.Deserialize<T>(text, BuildJson.Options) : null;
}
