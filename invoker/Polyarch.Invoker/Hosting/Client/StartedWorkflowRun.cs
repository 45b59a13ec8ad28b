namespace Polyarch.Invoker.Hosting.Client;

/// <summary>
/// A run <c>workflows run</c> started: its id and <see cref="Status"/> — <c>pending</c> when it is stored on the local state for a
/// `serve` to take up, <c>running</c> when a service (or, with <c>--wait</c>, this process) drives it; for an idempotency key
/// used before (<see cref="Created"/> false), the first run with that key and its status now.
/// </summary>
internal sealed record StartedWorkflowRun(string RunId, string Status, bool Created = true);
