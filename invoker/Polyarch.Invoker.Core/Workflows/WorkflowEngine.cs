using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// The workflow engine: defines workflows, starts runs (durably: stored before they start), drives each run it holds a
/// lease on, and — as a hosted service — resumes what a stopped invoker left and takes up runs nobody drives (started
/// by a CLI, or left by a replica that died). One replica drives a run; any process may ask it to cancel.
/// </summary>
internal sealed partial class WorkflowEngine(
    WorkflowStore store,
    IActionStore actions,
    WorkflowScheduler scheduler,
    TimeProvider timeProvider,
    IOptions<WorkflowOptions> options,
    ILogger<WorkflowEngine> logger) : IWorkflowStarter, IHostedService, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Driven> _driven = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly WorkflowOptions _options = options.Value;
    private Task _background = Task.CompletedTask;

    /// <summary>Validates and stores a definition (create or replace).</summary>
    /// <exception cref="InvalidWorkflowException">Something in it cannot work; every problem is named.</exception>
    public async Task<WorkflowDefinition> PutAsync(WorkflowDefinition workflow, CancellationToken cancellationToken)
    {
        await WorkflowValidator.ValidateAsync(workflow, actions, cancellationToken);
        await store.PutAsync(workflow, cancellationToken);
        return workflow;
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync(string workflow, CancellationToken cancellationToken) =>
        await store.GetAsync(workflow, cancellationToken) is not null;

    /// <inheritdoc />
    public Task<WorkflowRunStart> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken) =>
        StartAsync(request, drive: true, cancellationToken);

    /// <summary>
    /// Stores a new run; with <paramref name="drive"/> this process drives it now (it holds the lease), else any `serve`
    /// takes it up (its lease is free).
    /// </summary>
    public async Task<WorkflowRunStart> StartAsync(WorkflowStartRequest request, bool drive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var definition = await store.GetAsync(request.Workflow, cancellationToken) ?? throw new WorkflowNotFoundException(request.Workflow);
        var parameters = (JsonObject?)definition.Params?.DeepClone() ?? [];
        foreach (var (key, value) in request.Params)
        {
            parameters[key] = value?.DeepClone();
        }

        var run = new WorkflowRun
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            Workflow = definition.Name,
            Params = parameters,
            Trigger = request.Trigger,
            StartedAt = timeProvider.GetUtcNow(),
            Results = ResultsOf(definition, request.Trigger),
            Steps = [.. definition.Steps.Select(s => new WorkflowStepState { Name = s.Name })],
        };
        var (runId, created) = await store.CreateRunAsync(run, definition, request.IdempotencyKey, lease: drive, cancellationToken);
        if (created)
        {
            LogRunStarted(runId, definition.Name, request.Trigger?.Kind ?? WorkflowTrigger.ManualKind);
            if (drive)
            {
                Drive(run, definition);
            }
        }

        return new WorkflowRunStart(runId, created);
    }

    /// <summary>The run's record, or null when there is none.</summary>
    public Task<WorkflowRun?> GetRunAsync(string runId, CancellationToken cancellationToken) => store.GetRunAsync(runId, cancellationToken);

    /// <summary>Cancels a run: no step starts any more, running ones are cancelled, the run ends cancelled. False when unknown or finished.</summary>
    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        if (!await store.RequestCancelAsync(runId, cancellationToken))
        {
            return false;
        }

        if (_driven.TryGetValue(runId, out var driven))
        {
            await driven.Cancel.CancelAsync();
        }
        else if (await store.ClaimAsync(runId, cancellationToken)
            && await store.GetRunAsync(runId, cancellationToken) is { } run
            && await store.GetRunDefinitionAsync(runId, cancellationToken) is { } definition)
        {
            // Nobody drives it (stored by a CLI without --wait, no serve running): end it here, cancelled, at once.
            Drive(run, definition);
            await WaitAsync(runId, cancellationToken);
        }

        return true;
    }

    /// <summary>Waits until the run ends (driven here or elsewhere) and returns its record.</summary>
    public async Task<WorkflowRun> WaitAsync(string runId, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_driven.TryGetValue(runId, out var driven))
            {
                await driven.Task.WaitAsync(cancellationToken);
            }

            var run = await store.GetRunAsync(runId, cancellationToken) ?? throw new WorkflowRunNotFoundException(runId);
            if (WorkflowRunStatus.IsFinal(run.Status))
            {
                return run;
            }

            await Task.Delay(_options.PollInterval / 4, timeProvider, cancellationToken);
        }
    }

    /// <summary>Takes up (once) every unfinished run nobody holds, resuming each where it stopped.</summary>
    public async Task<IReadOnlyList<string>> ResumeAsync(CancellationToken cancellationToken)
    {
        var claimed = await store.ClaimAsync(cancellationToken);
        foreach (var id in claimed.Where(id => !_driven.ContainsKey(id)))
        {
            var run = await store.GetRunAsync(id, cancellationToken);
            var definition = await store.GetRunDefinitionAsync(id, cancellationToken);
            if (run is null || definition is null)
            {
                continue;
            }

            LogRunResumed(id, run.Workflow);
            Drive(run, definition);
        }

        return claimed;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await ResumeAsync(cancellationToken);
        _background = PollAsync(_stopping.Token);
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken) => await StopDrivingAsync();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopDrivingAsync();
        _stopping.Dispose();
    }

    private async Task StopDrivingAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        await _background;
        await Task.WhenAll(_driven.Values.Select(d => d.Task));
    }

    private void Drive(WorkflowRun run, WorkflowDefinition definition)
    {
        var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var driven = new Driven(DriveAsync(run, definition, cancel, started.Task), cancel);
        if (_driven.TryAdd(run.Id, driven))
        {
            started.SetResult();
        }
        else
        {
            started.SetCanceled();
        }
    }

    private async Task DriveAsync(WorkflowRun run, WorkflowDefinition definition, CancellationTokenSource cancel, Task started)
    {
        try
        {
            await started;
        }
        catch (OperationCanceledException)
        {
            cancel.Dispose();
            return;
        }

        using var handle = new WorkflowRunHandle(run, definition, store);
        try
        {
            if (await store.IsCancelRequestedAsync(run.Id, CancellationToken.None))
            {
                await cancel.CancelAsync();
            }

            var work = scheduler.RunAsync(handle, cancel.Token, _stopping.Token);
            var watch = WatchCancelAsync(run.Id, cancel, _stopping.Token);
            await State.LeaseKeeper.HoldAsync(work, ct => store.RenewAsync(run.Id, ct), store.LeaseDuration, timeProvider);
            await cancel.CancelAsync();
            await watch;
            LogRunEnded(run.Id, run.Workflow, run.Status, run.Reason);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped (shut down, or the host disposed): the run stays running in the store and is resumed by whoever
            // takes it up next; giving up the lease lets that be at once.
            LogRunInterrupted(run.Id, run.Workflow);
            await store.ReleaseAsync(run.Id, CancellationToken.None);
        }
#pragma warning disable CA1031 // A run the engine cannot drive (the store away) is logged and left to be resumed; the engine goes on.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRunCrashed(exception, run.Id, run.Workflow);
            await TryReleaseAsync(run.Id);
        }
        finally
        {
            _driven.TryRemove(run.Id, out _);
            cancel.Dispose();
        }
    }

    private async Task TryReleaseAsync(string runId)
    {
        try
        {
            await store.ReleaseAsync(runId, CancellationToken.None);
        }
#pragma warning disable CA1031 // Best effort: the lease expires by itself.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>Looks for a cancel another process asked (the CLI, another replica) while the run is driven here.</summary>
    private async Task WatchCancelAsync(string runId, CancellationTokenSource cancel, CancellationToken stopping)
    {
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token, stopping);
            while (!cancel.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                await Task.Delay(_options.PollInterval, timeProvider, either.Token);
                if (await store.IsCancelRequestedAsync(runId, stopping))
                {
                    await cancel.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.PollInterval, timeProvider, stopping);
                await ResumeAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The store away for a moment: try again next time.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogPollFailed(exception);
            }
        }
    }

    /// <summary>
    /// Where a run's artifacts go: the definition's <c>results</c>; else next to the artifact or image that triggered it
    /// (so the trigger is the artifacts' subject in the same repository); else <c>ResultsRegistry/workflows/NAME</c>.
    /// </summary>
    private string ResultsOf(WorkflowDefinition definition, WorkflowTrigger? trigger)
    {
        if (definition.Results is { } results)
        {
            var reference = ImageReference.Parse(results);
            return reference.RepositoryName;
        }

        return trigger is { Repository: { } repository }
            ? $"{trigger.Registry ?? _options.ResultsRegistry}/{repository}"
            : $"{_options.ResultsRegistry}/workflows/{definition.Name}";
    }

    private sealed record Driven(Task Task, CancellationTokenSource Cancel);

    [LoggerMessage(EventId = 1803, Level = LogLevel.Information, Message = "Workflow run {RunId} of {Workflow} started ({Trigger})")]
    private partial void LogRunStarted(string runId, string workflow, string trigger);

    [LoggerMessage(EventId = 1804, Level = LogLevel.Information, Message = "Workflow run {RunId} of {Workflow} ended {Status} {Reason}")]
    private partial void LogRunEnded(string runId, string workflow, string status, string? reason);

    [LoggerMessage(EventId = 1805, Level = LogLevel.Information, Message = "Workflow run {RunId} of {Workflow} resumed")]
    private partial void LogRunResumed(string runId, string workflow);

    [LoggerMessage(EventId = 1806, Level = LogLevel.Information, Message = "Workflow run {RunId} of {Workflow} interrupted (the invoker is stopping); it resumes when an invoker takes it up")]
    private partial void LogRunInterrupted(string runId, string workflow);

    [LoggerMessage(EventId = 1807, Level = LogLevel.Error, Message = "Workflow run {RunId} of {Workflow} could not be driven; it is left to be resumed")]
    private partial void LogRunCrashed(Exception exception, string runId, string workflow);

    [LoggerMessage(EventId = 1808, Level = LogLevel.Warning, Message = "Looking for workflow runs to take up failed; trying again")]
    private partial void LogPollFailed(Exception exception);
}
