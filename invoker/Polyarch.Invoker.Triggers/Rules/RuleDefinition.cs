using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Rules;

/// <summary>
/// A rule: when something happens, run an action (or the pushed image) or start a workflow. What happens is one of: a
/// tag matching <see cref="Tag"/> in a repository matching <see cref="Repository"/> is pushed as an image (the default),
/// or as an OCI artifact of <see cref="ArtifactType"/>; or an occurrence of the cron <see cref="Schedule"/> comes.
/// </summary>
public sealed record RuleDefinition
{
    /// <summary>The platforms value that runs every platform the pushed index has.</summary>
    public const string AllPlatforms = "all";

    /// <summary>The platforms value that runs the backend's native platforms only (and waits for them).</summary>
    public const string NativePlatforms = "native";

    public required string Name { get; init; }

    /// <summary>The event kind of a rule that fires on an image push.</summary>
    public const string PushEvent = "push";

    /// <summary>The event kind of a rule that fires on an artifact push of its <see cref="ArtifactType"/>.</summary>
    public const string ArtifactEvent = "artifact";

    /// <summary>The event kind of a rule that fires on its <see cref="Schedule"/>.</summary>
    public const string ScheduleEvent = "schedule";

    /// <summary>
    /// Repository glob, e.g. demo/echo, demo/* or 127.0.0.1:5000/demo/**. Without a registry host it matches any registry.
    /// Required unless the rule has a <see cref="Schedule"/> (then it must be absent).
    /// </summary>
    public string? Repository { get; init; }

    /// <summary>Tag glob; default "*" (every tag).</summary>
    public string Tag { get; init; } = "*";

    /// <summary>The action to run; null runs the pushed image itself (pinned to the pushed digest) unless <see cref="Workflow"/> is set.</summary>
    public string? Action { get; init; }

    /// <summary>The workflow to start instead of an action (exclusive with <see cref="Action"/>); its run gets the trigger.</summary>
    public string? Workflow { get; init; }

    /// <summary>
    /// Fire on pushes of OCI artifacts of this type (the manifest's <c>artifactType</c>, else its config's media type),
    /// e.g. application/vnd.polyarch.dataset.v1; null fires on image pushes. Referrers indexes never fire.
    /// </summary>
    public string? ArtifactType { get; init; }

    /// <summary>A cron expression (five fields, or six with seconds first); the rule fires at each occurrence, with no push.</summary>
    public string? Schedule { get; init; }

    /// <summary>The time zone of <see cref="Schedule"/> (an IANA id such as Europe/Berlin); null is UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>Params given to every activation; the event's repository, tag, indexDigest and platforms are added.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>["all"], ["native"] or a list of platforms (each required: the rule waits until the index has them). Default ["all"].</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [AllPlatforms];

    /// <summary>What fires the rule: <see cref="PushEvent"/>, <see cref="ArtifactEvent"/> or <see cref="ScheduleEvent"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Event => Schedule is not null ? ScheduleEvent : ArtifactType is not null ? ArtifactEvent : PushEvent;

    /// <summary>What the rule runs, for people: the workflow, the action or the pushed image.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Runs => Workflow is { } workflow ? $"workflow {workflow}" : Action ?? "the pushed image";
}
