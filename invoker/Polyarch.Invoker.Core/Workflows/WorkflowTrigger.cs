namespace Polyarch.Invoker.Workflows;

/// <summary>
/// What started a run (<c>${trigger.FIELD}</c> in step parameters). For an image or artifact push, the pushed manifest is
/// the run's lineage root: step-result artifacts name it as their OCI 1.1 <c>subject</c>.
/// </summary>
/// <param name="Kind">push (an image index), artifact (an OCI artifact of <see cref="ArtifactType"/>), schedule, or manual.</param>
/// <param name="Rule">The rule that fired, if any.</param>
/// <param name="Registry">The registry host of the pushed manifest, e.g. 127.0.0.1:5000.</param>
/// <param name="Repository">The repository of the pushed manifest, without the registry host.</param>
/// <param name="Tag">The pushed tag, if any.</param>
/// <param name="Digest">The pushed manifest's digest (sha256:…).</param>
/// <param name="MediaType">The pushed manifest's media type (the subject descriptor needs it).</param>
/// <param name="Size">The pushed manifest's size in bytes (the subject descriptor needs it).</param>
/// <param name="ArtifactType">The artifact's artifactType, for an artifact push.</param>
/// <param name="ScheduledAt">The schedule's occurrence, for a schedule.</param>
public sealed record WorkflowTrigger(
    string Kind,
    string? Rule = null,
    string? Registry = null,
    string? Repository = null,
    string? Tag = null,
    string? Digest = null,
    string? MediaType = null,
    long? Size = null,
    string? ArtifactType = null,
    DateTimeOffset? ScheduledAt = null)
{
    public const string PushKind = "push";
    public const string ArtifactKind = "artifact";
    public const string ScheduleKind = "schedule";
    public const string ManualKind = "manual";
}
