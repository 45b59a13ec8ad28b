namespace Polyarch.Builder.Builds;

/// <summary>A stored build: the request, its state, and what came out.</summary>
public sealed record BuildRecord(
    string Id,
    BuildRequest Request,
    BuildStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempts,
    string? ReuseOf,
    string? SupersededBy,
    IReadOnlyList<BuiltImage> Images,
    IReadOnlyList<PlatformTiming> Timings,
    IReadOnlyList<string> Retries,
    BuildError? Error)
{
    /// <summary>What went wrong without failing the build (e.g. the build cache could not be exported).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Whether the build reached a final state.</summary>
    public bool IsFinished => Status is BuildStatus.Succeeded or BuildStatus.Failed or BuildStatus.Superseded or BuildStatus.Cancelled;
}
