using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Workflows;

/// <summary>One run being driven: its record and definition, changed only under one lock and stored after each change.</summary>
internal sealed class WorkflowRunHandle(WorkflowRun run, WorkflowDefinition definition, WorkflowStore store) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public WorkflowRun Run { get; } = run;

    public WorkflowDefinition Definition { get; } = definition;

    /// <summary>Applies a change to the record and stores it (whatever the callers' tokens: the store must see every change).</summary>
    public async Task UpdateAsync(Action<WorkflowRun> change)
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            change(Run);
            await store.SaveRunAsync(Run, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The references' context now (a snapshot under the lock).</summary>
    public async Task<JsonObject> ContextAsync()
    {
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            return WorkflowContext.Of(Run, Definition);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}
