using System.Collections.Concurrent;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// The workflow engine's seam, recorded: every StartAsync call is kept, and a repeated idempotency key returns the
/// first run with Created false, as the contract says. Knows the workflows it is given.
/// </summary>
internal sealed class RecordingWorkflowStarter(params string[] workflows) : IWorkflowStarter
{
    private readonly ConcurrentQueue<WorkflowStartRequest> _requests = new();
    private readonly ConcurrentDictionary<string, string> _runs = new(StringComparer.Ordinal);
    private int _next;

    /// <summary>Every StartAsync call, in order.</summary>
    public IReadOnlyList<WorkflowStartRequest> Requests => [.. _requests];

    public Task<bool> ExistsAsync(string workflow, CancellationToken cancellationToken) => Task.FromResult(workflows.Contains(workflow));

    public Task<WorkflowRunStart> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken)
    {
        if (!workflows.Contains(request.Workflow))
        {
            throw new WorkflowNotFoundException(request.Workflow);
        }

        _requests.Enqueue(request);
        var fresh = $"run-{Interlocked.Increment(ref _next)}";
        if (request.IdempotencyKey is not { } key)
        {
            return Task.FromResult(new WorkflowRunStart(fresh, Created: true));
        }

        var run = _runs.GetOrAdd(key, fresh);
        return Task.FromResult(new WorkflowRunStart(run, Created: run == fresh));
    }
}
