using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Workflows;

/// <summary>One platform of a step (a single-platform step has one): the activation of its latest attempt and what it produced.</summary>
internal sealed record WorkflowStepRun
{
    /// <summary>The platform asked for; for a step the placement places, the platform it ran on (null until placed).</summary>
    public string? Platform { get; set; }

    public string? ActivationId { get; set; }

    public string Status { get; set; } = WorkflowRunStatus.Pending;

    public int Attempt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public long? DurationMs { get; set; }

    public JsonNode? Result { get; set; }

    public string? Error { get; set; }

    /// <summary>Every activation of this platform, one per attempt (the last is <see cref="ActivationId"/>).</summary>
    public List<string> Activations { get; init; } = [];

    public WorkflowArtifact? Artifact { get; set; }
}
