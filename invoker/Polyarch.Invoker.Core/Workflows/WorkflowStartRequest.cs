using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Workflows;

/// <summary>What to start: the workflow, the run's params, what triggered it and the key that makes the start idempotent.</summary>
/// <param name="Workflow">The workflow's name.</param>
/// <param name="Params">The run's params (<c>${params.NAME}</c> in step parameters).</param>
/// <param name="Trigger">What started the run; null for a manual start (CLI or REST).</param>
/// <param name="IdempotencyKey">Same key → same run (e.g. the firing's id); null: every call starts a new run.</param>
public sealed record WorkflowStartRequest(string Workflow, JsonObject Params, WorkflowTrigger? Trigger = null, string? IdempotencyKey = null);
