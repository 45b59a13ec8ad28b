using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// Non-blocking invocations of `serve`: each is stored before the caller hears 202, run in the background, and
/// always ends in an activation record — a failure before the action ran (placement, resolution, a deleted
/// action) is a record with the reason. At start-up it settles what the last run left: an activation that was
/// only accepted runs now; one that was running gets a "system error" record (it is not run twice: the action
/// may have started). On a shared store (PostgreSQL) each row is held by its replica with a lease it renews while
/// the activation runs; every lease period a replica takes over the rows whose lease expired (their replica died) and
/// settles them the same way, so each accepted activation runs once.
/// </summary>
internal sealed partial class AcceptedActivationRunner(
    ActionInvoker invoker,
    AcceptedActivationStore accepted,
    IActivationStore activations,
    IActionStore actions,
    IActionBackend backend,
    StoreDatabase database,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<AcceptedActivationRunner> logger) : IHostedService, IDisposable
{
    /// <summary>The reason recorded for an activation that was running when the invoker stopped.</summary>
    public const string StoppedWhileRunning =
        "The invoker stopped while this activation ran (killed, crashed or shut down); it was not run again because the action may already have started. Invoke it again if repeating it is safe.";

    private readonly ConcurrentDictionary<string, Task> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _takeOver = Task.CompletedTask;

    /// <summary>Stores the call (durably, before the caller is answered) and starts it in the background.</summary>
    public async Task<AcceptedActivation> AcceptAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var entry = new AcceptedActivation(
            request.ActivationId ?? ActivationId.New(), request.Target, request.Params, request.Platform, AcceptedActivation.Pending, timeProvider.GetUtcNow());
        await accepted.AddAsync(entry, cancellationToken);
        Start(entry);
        return entry;
    }

    /// <summary>Settles what the last run of this state directory left (before the REST API listens).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // SQLite: one process per file, so every row at start-up is what the last run left. PostgreSQL: only rows
        // whose lease expired; live replicas keep theirs.
        await SettleAsync(await accepted.ClaimAsync(all: !database.IsPostgres, cancellationToken));
        if (database.IsPostgres)
        {
            _takeOver = TakeOverAsync(_stopping.Token);
        }
    }

    /// <summary>Takes over (once) what replicas that died left: the accepted activations whose lease expired.</summary>
    public async Task TakeOverExpiredAsync(CancellationToken cancellationToken) =>
        await SettleAsync(await accepted.ClaimAsync(all: false, cancellationToken));

    private async Task TakeOverAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(database.LeaseDuration, timeProvider, cancellationToken);
                await TakeOverExpiredAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The store away for a moment: tried again at the next period.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                LogTakeOverFailed(exception);
            }
        }
    }

    private async Task SettleAsync(IReadOnlyList<AcceptedActivation> entries)
    {
        foreach (var entry in entries.Where(e => !_running.ContainsKey(e.ActivationId)))
        {
            if (entry.State == AcceptedActivation.Running)
            {
                LogInterrupted(entry.ActivationId, entry.Target);
                await FailAsync(entry, ActivationStatus.SystemError, new JsonObject { ["error"] = StoppedWhileRunning });
            }
            else
            {
                LogResuming(entry.ActivationId, entry.Target);
                Start(entry);
            }
        }
    }

    /// <summary>
    /// Waits (within the host's shutdown timeout) for the activations in flight: stopping cancels them, and each
    /// records why before the activation store is flushed; what does not make it is settled at the next start.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _takeOver;
        try
        {
            await WhenIdleAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    /// <summary>Waits for every activation started so far (tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private void Start(AcceptedActivation entry)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = start.Task.ContinueWith(
            _ => LeaseKeeper.HoldAsync(RunAsync(entry, lifetime.ApplicationStopping), ct => accepted.RenewAsync(entry.ActivationId, ct), database.LeaseDuration, timeProvider),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        if (!_running.TryAdd(entry.ActivationId, task))
        {
            return;
        }

        task.ContinueWith(_ => _running.TryRemove(entry.ActivationId, out var _), TaskScheduler.Default);
        start.SetResult();
    }

    private async Task RunAsync(AcceptedActivation entry, CancellationToken cancellationToken)
    {
        var taken = false;
        try
        {
            await accepted.MarkRunningAsync(entry.ActivationId, cancellationToken);
            taken = true;
            var request = new InvocationRequest(entry.Target, entry.Params, entry.Platform) { ActivationId = entry.ActivationId };
            await invoker.InvokeAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: one that never started stays pending and runs at the next start.
            if (taken)
            {
                await FailAsync(entry, ActivationStatus.SystemError, new JsonObject { ["error"] = StoppedWhileRunning });
            }
        }
#pragma warning disable CA1031 // Whatever stopped it, the caller was promised an activation: it gets a record with the reason.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogNotStarted(exception, entry.ActivationId, entry.Target);
            var (status, result) = NotStartedActivation.Classify(exception);
            await FailAsync(entry, status, result);
        }
    }

    private async Task FailAsync(AcceptedActivation entry, string status, JsonObject result)
    {
        try
        {
            var action = await actions.GetAsync(entry.Target, CancellationToken.None);
            var end = timeProvider.GetUtcNow();
            await activations.SaveAsync(
                NotStartedActivation.Record(entry.ActivationId, entry.Target, action?.Image ?? entry.Target, entry.Platform, backend.Name, entry.Accepted, end, status, result),
                CancellationToken.None);
        }
#pragma warning disable CA1031 // The row stays: the next start-up settles it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogRecordFailed(exception, entry.ActivationId);
        }
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Activation {ActivationId} of {Action} did not start")]
    private partial void LogNotStarted(Exception exception, string activationId, string action);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning, Message = "Activation {ActivationId} of {Action} was running when the invoker stopped: recorded as a system error")]
    private partial void LogInterrupted(string activationId, string action);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Activation {ActivationId} of {Action} was accepted but not started before the invoker stopped: running it now")]
    private partial void LogResuming(string activationId, string action);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Could not take over the accepted activations other replicas left; trying again after Store:LeaseDuration")]
    private partial void LogTakeOverFailed(Exception exception);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Could not record the failure of activation {ActivationId}; the next start-up records it")]
    private partial void LogRecordFailed(Exception exception, string activationId);
}
