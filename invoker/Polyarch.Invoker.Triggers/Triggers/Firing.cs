using System.Text.Json.Nodes;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// A rule fired for (repository, digest) — for a schedule ("(schedule)", the occurrence) — : what to run, with which
/// params, as which activations (one per platform); or, with <see cref="Workflow"/>, the workflow run it starts (no
/// activations of its own; <see cref="Params"/> are the run's params, <see cref="Trigger"/> what fired it).
/// </summary>
internal sealed record Firing(
    string Rule,
    string Repository,
    string Digest,
    string Target,
    JsonObject Params,
    IReadOnlyList<FiringActivation> Activations,
    string? Workflow = null,
    WorkflowTrigger? Trigger = null)
{
    /// <summary>The repository column of a scheduled firing (its digest column holds the occurrence, ISO 8601 UTC).</summary>
    public const string ScheduleRepository = "(schedule)";

    /// <summary>
    /// The firing's durable key, the idempotency key of the workflow run it starts: a re-delivered notification, a replay
    /// or a restart finds the same firing, so the workflow engine returns the same run.
    /// </summary>
    public string Key => $"rule:{Rule}:{Repository}@{Digest}";
}
