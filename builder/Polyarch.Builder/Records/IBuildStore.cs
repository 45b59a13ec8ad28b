using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Records;

/// <summary>
/// Build requests and records. A request is committed before it is acknowledged; (registry, repository, commit,
/// platforms) is built once; deliveries are de-duplicated; a claimed build belongs to one process at a time.
/// </summary>
internal interface IBuildStore
{
    /// <summary>Stores a request, or returns the build that already covers it (same delivery, or same commit and platforms).</summary>
    public Task<SubmitResult> SubmitAsync(BuildRequest request, string? deliveryId, CancellationToken cancellationToken);

    /// <summary>Claims the oldest runnable queued build (a retag waits for the build it reuses), or one whose owner lost its lease.</summary>
    public Task<BuildRecord?> ClaimNextAsync(CancellationToken cancellationToken);

    /// <summary>Claims one queued build (the CLI runs its own request in-process).</summary>
    public Task<BuildRecord?> TryClaimAsync(string id, CancellationToken cancellationToken);

    /// <summary>The ids of running builds this process may take over at start-up (all of them for SQLite; those whose lease expired for PostgreSQL).</summary>
    public Task<IReadOnlyList<string>> RunningIdsAsync(CancellationToken cancellationToken);

    /// <summary>Puts builds that were running when their process died back into the queue; returns how many.</summary>
    public Task<int> RequeueRunningAsync(CancellationToken cancellationToken);

    /// <summary>Puts one running build back into the queue (the process is shutting down).</summary>
    public Task RequeueAsync(string id, CancellationToken cancellationToken);

    /// <summary>Cancels a build that is still queued (nobody runs it); false when it is not queued (any more).</summary>
    public Task<bool> CancelQueuedAsync(string id, BuildError error, CancellationToken cancellationToken);

    /// <summary>Stores the final state of a build with its per-platform logs.</summary>
    public Task FinishAsync(
        string id, BuildStatus status, IReadOnlyList<BuiltImage> images, IReadOnlyList<PlatformTiming> timings, IReadOnlyList<string> retries,
        IReadOnlyList<string> warnings, BuildError? error, IReadOnlyDictionary<string, string> logs, CancellationToken cancellationToken);

    /// <summary>One build, or <c>null</c>.</summary>
    public Task<BuildRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The newest builds first.</summary>
    public Task<IReadOnlyList<BuildRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the logs of finished builds that finished before <paramref name="finishedBefore"/> or are not among the newest
    /// <paramref name="keep"/> finished builds; queued and running builds are never touched. Returns how many log entries (one per platform) were deleted.
    /// </summary>
    public Task<int> PruneLogsAsync(DateTimeOffset finishedBefore, int keep, CancellationToken cancellationToken);

    /// <summary>Per-platform logs of a build (key "" holds export and push).</summary>
    public Task<IReadOnlyDictionary<string, string>> GetLogsAsync(string id, CancellationToken cancellationToken);
}
