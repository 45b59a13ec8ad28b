namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Drives one run's DAG: starts, concurrently, every pending step whose needs all succeeded; marks a step whose need
/// failed, was skipped or cancelled as skipped (it never starts); ends the run when nothing runs or can start. A step
/// that was running when the run was last driven (the invoker stopped) is started again; finished steps are kept.
/// </summary>
internal sealed class WorkflowScheduler(WorkflowStepExecutor executor, TimeProvider timeProvider)
{
    /// <summary>Runs until the run ends; throws <see cref="OperationCanceledException"/> only when <paramref name="stopping"/> fires (the run stays running, to be resumed).</summary>
    public async Task RunAsync(WorkflowRunHandle handle, CancellationToken cancel, CancellationToken stopping)
    {
        var definition = handle.Definition;
        await handle.UpdateAsync(run => run.Status = WorkflowRunStatus.Running);
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            var toStart = new List<WorkflowStepDefinition>();
            if (!cancel.IsCancellationRequested)
            {
                await handle.UpdateAsync(run =>
                {
                    foreach (var step in definition.Steps)
                    {
                        var state = run.Step(step.Name);
                        if (running.ContainsKey(step.Name) || WorkflowRunStatus.IsFinal(state.Status))
                        {
                            continue;
                        }

                        var blocked = step.Needs.Select(run.Step).FirstOrDefault(n => n.Status is WorkflowRunStatus.Failed or WorkflowRunStatus.Skipped or WorkflowRunStatus.Cancelled);
                        if (blocked is not null)
                        {
                            state.Status = WorkflowRunStatus.Skipped;
                            state.Reason = $"not started: it needs step '{blocked.Name}', which {(blocked.Status == WorkflowRunStatus.Skipped ? "was skipped" : blocked.Status)}";
                        }
                        else if (step.Needs.All(n => run.Step(n).Status == WorkflowRunStatus.Succeeded))
                        {
                            state.Status = WorkflowRunStatus.Running;
                            toStart.Add(step);
                        }
                    }
                });
            }

            foreach (var step in toStart)
            {
                running[step.Name] = executor.RunAsync(handle, step, cancel, stopping);
            }

            if (running.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(running.Values);
            running.Remove(running.First(kv => kv.Value == done).Key);
            try
            {
                await done;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Stopping: let the other steps see it too before the run is let go (they still write the record).
                await Task.WhenAll(running.Values.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default)));
                throw;
            }
        }

        await FinishAsync(handle, cancel.IsCancellationRequested);
    }

    private async Task FinishAsync(WorkflowRunHandle handle, bool cancelled)
    {
        var end = timeProvider.GetUtcNow();
        await handle.UpdateAsync(run =>
        {
            run.EndedAt = end;
            var failed = run.Steps.Where(s => s.Status == WorkflowRunStatus.Failed).ToList();
            if (cancelled)
            {
                foreach (var state in run.Steps.Where(s => !WorkflowRunStatus.IsFinal(s.Status)))
                {
                    state.Status = WorkflowRunStatus.Cancelled;
                    state.Reason = "not started: the run was cancelled";
                }

                run.Status = WorkflowRunStatus.Cancelled;
                run.Reason = "cancelled";
            }
            else if (failed.Count > 0)
            {
                run.Status = WorkflowRunStatus.Failed;
                run.Reason = string.Join("; ", failed.Select(s => s.Reason));
            }
            else
            {
                run.Status = WorkflowRunStatus.Succeeded;
                run.Result = WorkflowReferences.Resolve(handle.Definition.Result, WorkflowContext.Of(run, handle.Definition));
            }
        });
    }
}
