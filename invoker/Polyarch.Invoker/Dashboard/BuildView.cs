using System.Text.Json;

namespace Polyarch.Invoker.Dashboard;

/// <summary>One build as the builder's REST API describes it, reduced to what the pages show.</summary>
internal sealed record BuildView(
    string Id,
    string Registry,
    string Repository,
    string Commit,
    string? Branch,
    IReadOnlyList<string> Platforms,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JsonElement Record)
{
    public string ShortCommit => Commit.Length > 12 ? Commit[..12] : Commit;

    public bool IsFailed => Status == "failed";

    public string? ErrorMessage => Object(Record, "error") is { } error ? String(error, "message") : null;

    public string? ErrorPlatform => Object(Record, "error") is { } error ? String(error, "platform") : null;

    public string? ErrorStep => Object(Record, "error") is { } error ? String(error, "step") : null;

    public string? ErrorLogTail => Object(Record, "error") is { } error ? String(error, "logTail") : null;

    /// <summary>The indexes the build pushed: (reference, index digest, tags).</summary>
    public IEnumerable<(string Reference, string Repository, string IndexDigest, IReadOnlyList<string> Tags)> Images =>
        Array(Record, "images").Select(i => (
            $"{String(i, "registry")}/{String(i, "repository")}@{String(i, "indexDigest")}",
            $"{String(i, "registry")}/{String(i, "repository")}",
            String(i, "indexDigest") ?? string.Empty,
            (IReadOnlyList<string>)[.. Array(i, "tags").Select(t => t.GetString() ?? string.Empty)]));

    public static BuildView? Parse(JsonElement build)
    {
        if (build.ValueKind != JsonValueKind.Object || Object(build, "request") is not { } request || String(build, "id") is not { } id)
        {
            return null;
        }

        return new BuildView(
            id,
            String(request, "registry") ?? string.Empty,
            String(request, "repository") ?? string.Empty,
            String(request, "commit") ?? string.Empty,
            String(request, "branch"),
            [.. Array(request, "platforms").Select(p => p.GetString() ?? string.Empty)],
            String(build, "status") ?? "unknown",
            Time(build, "createdAt") ?? DateTimeOffset.MinValue,
            Time(build, "startedAt"),
            Time(build, "finishedAt"),
            build);
    }

    public static IReadOnlyList<BuildView> ParseList(JsonElement builds) =>
        builds.ValueKind == JsonValueKind.Array ? [.. builds.EnumerateArray().Select(Parse).OfType<BuildView>()] : [];

    /// <summary>What one platform of this build shows in the matrix.</summary>
    public BuildCell Cell(string platform)
    {
        var timing = Array(Record, "timings").FirstOrDefault(t => String(t, "platform") == platform);
        long? duration = timing.ValueKind == JsonValueKind.Object && timing.TryGetProperty("durationMs", out var d) && d.TryGetInt64(out var ms) ? ms : null;
        var stepFailed = timing.ValueKind == JsonValueKind.Object && timing.TryGetProperty("failed", out var f) && f.ValueKind == JsonValueKind.True;
        var variant = Array(Record, "images").SelectMany(i => Array(i, "platforms")).FirstOrDefault(p => String(p, "platform") == platform);
        var digest = variant.ValueKind == JsonValueKind.Object ? String(variant, "digest") : null;
        long? size = variant.ValueKind == JsonValueKind.Object && variant.TryGetProperty("size", out var s) && s.TryGetInt64(out var bytes) ? bytes : null;
        var state = Status switch
        {
            "queued" => BuildCell.Queued,
            "running" => BuildCell.Running,
            "superseded" => BuildCell.Superseded,
            "failed" when stepFailed || ErrorPlatform == platform => BuildCell.Failed,
            "failed" when ErrorPlatform is null && digest is null => BuildCell.Failed,
            "failed" => BuildCell.NotPushed,
            _ when digest is not null => BuildCell.Succeeded,
            _ => BuildCell.NotPushed,
        };
        var error = state == BuildCell.Failed
            ? ErrorPlatform == platform || ErrorPlatform is null ? ErrorMessage ?? "failed" : $"a step for {platform} failed (the build stopped at {ErrorPlatform})"
            : null;
        return new BuildCell(platform, state, duration, digest, size, error);
    }

    private static JsonElement? Object(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) ? time : null;

    private static JsonElement[] Array(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? [.. value.EnumerateArray()] : [];
}
