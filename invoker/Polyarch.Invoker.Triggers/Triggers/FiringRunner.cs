using System.Collections.Concurrent;
using System.Diagnostics;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Telemetry;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Runs a firing's activations (one per platform, concurrently) with their reserved ids, skipping any already recorded,
/// while renewing this replica's lease on the firing; a firing already running here is not started twice. A firing of a
/// workflow starts its run instead, with the firing's key as the idempotency key (a resumed firing finds the same run).
/// </summary>
internal sealed partial class FiringRunner(
    ActionInvoker invoker,
    IVariantCatalog catalog,
    IActivationStore activations,
    IActionStore actions,
    IActionBackend backend,
    FiringStore firings,
    IWorkflowStarter workflows,
    TriggerDatabase database,
    TriggerMetrics metrics,
    TimeProvider timeProvider,
    ILogger<FiringRunner> logger)
{
    private readonly ConcurrentDictionary<(string Rule, string Repository, string Digest), Task> _running = new();

    /// <summary>
    /// Starts the firing in the background unless it runs here already; <paramref name="received"/> is when its push
    /// arrived (for the latency metric).
    /// </summary>
    public void Start(Firing firing, long? received, CancellationToken cancellationToken)
    {
        var key = (firing.Rule, firing.Repository, firing.Digest);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = start.Task.ContinueWith(
            _ => LeaseKeeper.HoldAsync(RunAsync(firing, received, cancellationToken), ct => firings.RenewAsync(firing, ct), database.Store.LeaseDuration, timeProvider),
            CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        if (!_running.TryAdd(key, task))
        {
            return;
        }

        task.ContinueWith(_ => _running.TryRemove(key, out var _), TaskScheduler.Default);
        start.SetResult();
    }

    private long _invoked;

    /// <summary>How many activations this replica has invoked for firings (diagnostics; the replica tests count runs with it).</summary>
    public long InvokedCount => Interlocked.Read(ref _invoked);

    /// <summary>Whether the firing runs in this replica now.</summary>
    public bool IsRunning(Firing firing) => _running.ContainsKey((firing.Rule, firing.Repository, firing.Digest));

    /// <summary>Waits for every firing started so far (tests, shutdown).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(_running.Values);

    private long _workflowStarts;

    /// <summary>How many workflow starts this replica has asked for (diagnostics).</summary>
    public long WorkflowStartCount => Interlocked.Read(ref _workflowStarts);

    private async Task RunAsync(Firing firing, long? received, CancellationToken cancellationToken)
    {
        if (firing.Workflow is not null)
        {
            await StartWorkflowAsync(firing, received, cancellationToken);
            return;
        }

        // The firing joins the trace of the build that pushed the index (its io.polyarch.trace-parent annotation).
        using var activity = InvokerTelemetry.Source.HasListeners()
            ? InvokerTelemetry.Source.StartActivity("firing", ActivityKind.Consumer, InvokerTelemetry.Parent(firing.Trigger is null ? await TraceParentAsync(firing, cancellationToken) : null))
            : null;
        activity?.SetTag("polyarch.rule", firing.Rule);
        activity?.SetTag("polyarch.image", $"{firing.Repository}@{firing.Digest}");
        try
        {
            if (received is { } at)
            {
                metrics.PushToStart(TimeSpan.FromMilliseconds(Math.Max(0, timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - at)));
            }

            await Task.WhenAll(firing.Activations.Select(a => RunOneAsync(firing, a, cancellationToken)));
            await firings.CompleteAsync(firing, cancellationToken);
            LogFired(firing.Rule, firing.Repository, firing.Digest, firing.Activations.Count);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the firing stays pending and resumes at the next start.
        }
        catch (Exception exception)
        {
            LogFiringFailed(exception, firing.Rule, firing.Repository, firing.Digest);
        }
    }

    private async Task StartWorkflowAsync(Firing firing, long? received, CancellationToken cancellationToken)
    {
        try
        {
            if (received is { } at)
            {
                metrics.PushToStart(TimeSpan.FromMilliseconds(Math.Max(0, timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - at)));
            }

            Interlocked.Increment(ref _workflowStarts);
            var run = await workflows.StartAsync(
                new WorkflowStartRequest(firing.Workflow!, firing.Params.DeepClone().AsObject(), firing.Trigger, firing.Key), cancellationToken);
            await firings.CompleteAsync(firing, cancellationToken);
            LogWorkflowStarted(firing.Rule, firing.Workflow!, run.RunId, run.Created, firing.Repository, firing.Digest);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the firing stays pending and resumes at the next start (the same key: the same run).
        }
        catch (WorkflowNotFoundException exception)
        {
            // Deleted after the rule was made: retrying cannot help. The firing is done; the log says why nothing ran.
            LogWorkflowMissing(exception, firing.Rule, firing.Workflow!);
            await firings.CompleteAsync(firing, CancellationToken.None);
        }
        catch (Exception exception)
        {
            LogFiringFailed(exception, firing.Rule, firing.Repository, firing.Digest);
        }
    }

    /// <summary>The pushed index's traceparent (a digest: cached for good by the catalog, so the run reads it again for free).</summary>
    private async Task<string?> TraceParentAsync(Firing firing, CancellationToken cancellationToken)
    {
        try
        {
            return (await catalog.GetAsync($"{firing.Repository}@{firing.Digest}", cancellationToken)).TraceParent;
        }
        catch (InvokerException)
        {
            return null; // The run reports why the image cannot be read; the trace just starts here.
        }
    }

    private async Task RunOneAsync(Firing firing, FiringActivation activation, CancellationToken cancellationToken)
    {
        if (await activations.GetAsync(activation.ActivationId, cancellationToken) is not null)
        {
            return;
        }

        var clock = timeProvider.GetTimestamp();
        var accepted = timeProvider.GetUtcNow();
        try
        {
            var request = new InvocationRequest(firing.Target, firing.Params.DeepClone().AsObject(), activation.Platform) { ActivationId = activation.ActivationId };
            // The activation store counts what ran; only activations that never started are counted here.
            Interlocked.Increment(ref _invoked);
            await invoker.InvokeAsync(request, cancellationToken);
        }
        catch (InvokerException exception)
        {
            metrics.Activation("not started", activation.Platform, timeProvider.GetElapsedTime(clock));
            LogActivationFailed(exception, firing.Rule, activation.Platform, activation.ActivationId);

            // The reserved id ends in a record with the reason (and the why-not table for a placement failure), as a
            // non-blocking call's does: a firing that cannot be placed is visible in GET /v1/activations/{id}.
            var (status, result) = NotStartedActivation.Classify(exception);
            var image = (await actions.GetAsync(firing.Target, CancellationToken.None))?.Image ?? firing.Target;
            await activations.SaveAsync(
                NotStartedActivation.Record(activation.ActivationId, firing.Target, image, activation.Platform, backend.Name, accepted, timeProvider.GetUtcNow(), status, result),
                CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 7104, Level = LogLevel.Information, Message = "Rule {Rule} started workflow {Workflow} (run {RunId}, new: {Created}) for {Repository}@{Digest}")]
    private partial void LogWorkflowStarted(string rule, string workflow, string runId, bool created, string repository, string digest);

    [LoggerMessage(EventId = 7105, Level = LogLevel.Error, Message = "Rule {Rule} fired but workflow {Workflow} is not defined (deleted after the rule was made): nothing ran. Create the workflow or delete the rule")]
    private partial void LogWorkflowMissing(Exception exception, string rule, string workflow);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information, Message = "Rule {Rule} fired for {Repository}@{Digest}: {Count} activations")]
    private partial void LogFired(string rule, string repository, string digest, int count);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Rule {Rule} could not complete its firing for {Repository}@{Digest}")]
    private partial void LogFiringFailed(Exception exception, string rule, string repository, string digest);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Warning, Message = "Rule {Rule}: activation {ActivationId} on {Platform} did not start")]
    private partial void LogActivationFailed(Exception exception, string rule, string platform, string activationId);
}
