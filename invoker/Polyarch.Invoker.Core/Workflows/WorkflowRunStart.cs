namespace Polyarch.Invoker.Workflows;

/// <summary>The started (or, for a repeated idempotency key, the existing) run.</summary>
public sealed record WorkflowRunStart(string RunId, bool Created);
