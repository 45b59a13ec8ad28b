using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// Non-blocking invocations of `serve`: each is stored before the caller hears 202, run in the background, and
/// always ends in an activation record — a failure before the action ran (placement, resolution, a deleted
/// action) is a record with the reason. At start-up it settles what the last run left: an activation that was
/// only accepted runs now; one that was running gets a "system error" record (it is not run twice: the action
/// may have started).
/// </summary>
internal sealed partial class AcceptedActivationRunner(
    ActionInvoker invoker,
    AcceptedActivationStore accepted,
    IActivationStore activations,
    IActionStore actions,
    IActionBackend backend,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<AcceptedActivationRunner> logger) : IHostedService
{
    /// <summary>The reason recorded for an activation that was running when the invoker stopped.</summary>
    public const string StoppedWhileRunning =
        "The invoker stopped while this activation ran (killed, crashed or shut down); it was not run again because the action may already have started. Invoke it again if repeating it is safe.";

    private readonly ConcurrentDictionary<Task, bool> _running = new();

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
        foreach (var entry in await accepted.ListAsync(cancellationToken))
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
        try
        {
            await WhenIdleAsync().WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Waits for every activation started so far (tests).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Keys);

    private void Start(AcceptedActivation entry)
    {
        var task = Task.Run(() => RunAsync(entry, lifetime.ApplicationStopping), CancellationToken.None);
        _running[task] = true;
        task.ContinueWith(t => _running.TryRemove(t, out _), TaskScheduler.Default);
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

    [LoggerMessage(EventId = 1204, Level = LogLevel.Error, Message = "Could not record the failure of activation {ActivationId}; the next start-up records it")]
    private partial void LogRecordFailed(Exception exception, string activationId);
}
