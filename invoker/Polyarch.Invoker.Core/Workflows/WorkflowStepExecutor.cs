using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Runs one step of a run: the built-in tag, or the action once (the placement picks the platform), on a native
/// platform, or once per platform (a fan-out, concurrently) — each with its timeout and retries, its input files in the
/// params and its output files pushed as the (step, platform)'s artifact.
/// </summary>
internal sealed partial class WorkflowStepExecutor(
    ActionInvoker invoker,
    IVariantCatalog catalog,
    IActionBackend backend,
    StepArtifacts artifacts,
    TimeProvider timeProvider,
    IOptions<InvokerOptions> options,
    ILogger<WorkflowStepExecutor> logger)
{
    private readonly int _maxFilesBytes = options.Value.MaxFilesBytes;

    /// <summary>Runs the step to its end state (succeeded, failed, skipped or cancelled); throws only when <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(WorkflowRunHandle handle, WorkflowStepDefinition step, CancellationToken cancel, CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, stopping);
        var token = linked.Token;
        try
        {
            await RunCoreAsync(handle, step, token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await handle.UpdateAsync(run => Cancel(run.Step(step.Name)));
        }
#pragma warning disable CA1031 // Whatever fails in a step (the registry away, a bad reference) fails the step, with the reason, not the engine.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            LogStepFailed(exception, handle.Run.Id, step.Name);
            await handle.UpdateAsync(run => Fail(run.Step(step.Name), $"step '{step.Name}' failed: {exception.Message}"));
        }
    }

    private async Task RunCoreAsync(WorkflowRunHandle handle, WorkflowStepDefinition step, CancellationToken token)
    {
        var context = await handle.ContextAsync();
        if (step.If is { } condition && !WorkflowReferences.IsTruthy(WorkflowReferences.Resolve(condition, context)))
        {
            await handle.UpdateAsync(run =>
            {
                var state = run.Step(step.Name);
                state.Status = WorkflowRunStatus.Skipped;
                state.Reason = $"if {condition} was not true";
            });
            return;
        }

        if (step.Tag is { } tag)
        {
            await TagAsync(handle, step, tag, context, token);
            return;
        }

        var parameters = WorkflowReferences.Resolve(step.Params ?? [], context) as JsonObject ?? [];
        var (files, filesError) = await artifacts.InputsAsync(handle.Run, step, _maxFilesBytes, token);
        if (filesError is not null)
        {
            await handle.UpdateAsync(run => Fail(run.Step(step.Name), $"step '{step.Name}' did not start: {filesError}"));
            return;
        }

        if (files is not null)
        {
            parameters[ResultFiles.Key] = files;
        }

        var targets = await TargetsAsync(step, token);
        var entries = new List<WorkflowStepRun>();
        await handle.UpdateAsync(run =>
        {
            var state = run.Step(step.Name);
            state.Status = WorkflowRunStatus.Running;
            foreach (var target in targets)
            {
                // Resumed: the entry of that platform is kept (a succeeded one is not run again); new: one per platform.
                var entry = state.Runs.FirstOrDefault(r => target is null || r.Platform == target || (targets.Count == 1 && state.Runs.Count == 1));
                if (entry is null)
                {
                    entry = new WorkflowStepRun { Platform = target };
                    state.Runs.Add(entry);
                }

                entries.Add(entry);
            }
        });

        var single = targets.Count == 1 && StepPlatforms.Parse(step.Platforms, out _).IsSingle;
        await Task.WhenAll(entries.Select(entry => RunPlatformAsync(handle, step, entry, single ? RequestedPlatform(step, entry, targets[0]) : entry.Platform, parameters, token)));
        await handle.UpdateAsync(run =>
        {
            var state = run.Step(step.Name);
            if (state.Runs.All(r => r.Status == WorkflowRunStatus.Succeeded))
            {
                state.Status = WorkflowRunStatus.Succeeded;
                state.Reason = null;
                return;
            }

            var failed = state.Runs.Where(r => r.Status != WorkflowRunStatus.Succeeded).ToList();
            state.Status = WorkflowRunStatus.Failed;
            state.Reason = string.Join("; ", failed.Select(r => $"step '{step.Name}' failed on {r.Platform ?? "(not placed)"} after {r.Attempt} attempt(s): {r.Error}"));
        });
    }

    /// <summary>A single-platform step asks for the platform it was given (a list of one, native's pick) or none (the placement picks, again on a retry).</summary>
    private static string? RequestedPlatform(WorkflowStepDefinition step, WorkflowStepRun entry, string? target) =>
        StepPlatforms.Parse(step.Platforms, out _).Kind == StepPlatforms.Placed ? null : target ?? entry.Platform;

    private async Task RunPlatformAsync(
        WorkflowRunHandle handle, WorkflowStepDefinition step, WorkflowStepRun entry, string? platform, JsonObject parameters, CancellationToken token)
    {
        if (entry.Status == WorkflowRunStatus.Succeeded)
        {
            return;
        }

        // A run resumed after a stop: the attempt that was running when it stopped is retried once, beyond its retries.
        var attempts = Math.Max(step.Retries + 1, entry.Attempt + 1);
        while (entry.Attempt < attempts)
        {
            token.ThrowIfCancellationRequested();
            var activationId = ActivationId.New();
            var started = timeProvider.GetUtcNow();
            var clock = timeProvider.GetTimestamp();
            await handle.UpdateAsync(_ =>
            {
                entry.Attempt++;
                entry.ActivationId = activationId;
                entry.Activations.Add(activationId);
                entry.Status = WorkflowRunStatus.Running;
                entry.StartedAt = started;
                entry.Error = null;
            });

            var (record, error) = await InvokeAsync(step, platform, parameters, activationId, token);
            WorkflowArtifact? artifact = null;
            if (record is { IsSuccess: true, Files.Count: > 0 })
            {
                artifact = await artifacts.PushAsync(handle.Run, step.Name, record.Platform ?? platform ?? "unknown", activationId, record.Files, started, token);
            }

            await handle.UpdateAsync(_ =>
            {
                entry.DurationMs = (long)timeProvider.GetElapsedTime(clock).TotalMilliseconds;
                entry.Platform = record?.Platform ?? entry.Platform ?? platform;
                entry.Result = record?.Result?.DeepClone();
                entry.Artifact = artifact;
                entry.Status = record?.IsSuccess == true ? WorkflowRunStatus.Succeeded : WorkflowRunStatus.Failed;
                entry.Error = record?.IsSuccess == true ? null : error ?? ErrorOf(record);
            });
            if (entry.Status == WorkflowRunStatus.Succeeded)
            {
                return;
            }

            LogAttemptFailed(handle.Run.Id, step.Name, entry.Platform, entry.Attempt, entry.Error);
        }
    }

    private async Task<(ActivationRecord? Record, string? Error)> InvokeAsync(
        WorkflowStepDefinition step, string? platform, JsonObject parameters, string activationId, CancellationToken token)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
        var limit = step.Timeout is { } text && StepDuration.TryParse(text, out var duration) ? duration : (TimeSpan?)null;
        if (limit is { } after)
        {
            timeout.CancelAfter(after);
        }

        try
        {
            var request = new InvocationRequest(step.Action!, (JsonObject)parameters.DeepClone(), platform) { ActivationId = activationId };
            return (await invoker.InvokeAsync(request, timeout.Token), null);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested && limit is not null)
        {
            return (null, $"the attempt exceeded the step's timeout of {step.Timeout} and was stopped");
        }
        catch (InvokerException exception) when (!token.IsCancellationRequested)
        {
            return (null, exception.Message);
        }
        catch (Exception exception) when (exception is Registry.RegistryException or HttpRequestException or IOException && !token.IsCancellationRequested)
        {
            return (null, exception.Message);
        }
    }

    /// <summary>The platforms to run on: null = the placement's pick; a native one; every platform of the image; the listed ones.</summary>
    private async Task<IReadOnlyList<string?>> TargetsAsync(WorkflowStepDefinition step, CancellationToken token)
    {
        var spec = StepPlatforms.Parse(step.Platforms, out _);
        switch (spec.Kind)
        {
            case StepPlatforms.Placed:
                return [null];
            case StepPlatforms.List:
                return [.. spec.Listed];
        }

        var action = await invoker.FindAsync(step.Action!, token);
        var image = await catalog.GetAsync(action.Image, token);
        if (spec.Kind == StepPlatforms.All)
        {
            return [.. image.Variants.Select(v => v.Platform).Distinct(StringComparer.Ordinal)];
        }

        var inventory = await backend.GetInventoryAsync(token);
        var native = PlacementEngine.Rank(image, inventory, PlacementRequest.For(action, null)).Decisions.FirstOrDefault(d => !d.Platform.Emulated)
            ?? throw new PlacementException(
                $"step '{step.Name}' asks for a native platform, but the {backend.Name} backend runs none of {string.Join(", ", image.Platforms)} natively; name a platform or use all",
                [.. image.Platforms], [.. inventory.Platforms], []);
        return [native.Variant.Platform];
    }

    private async Task TagAsync(WorkflowRunHandle handle, WorkflowStepDefinition step, WorkflowTagDefinition tag, JsonObject context, CancellationToken token)
    {
        var started = timeProvider.GetUtcNow();
        var clock = timeProvider.GetTimestamp();
        var reference = WorkflowReferences.Resolve(tag.Artifact, context);
        if (reference is not JsonValue value || !value.TryGetValue<string>(out var text) || text.Length == 0)
        {
            await handle.UpdateAsync(run => Fail(run.Step(step.Name), $"step '{step.Name}': tag.artifact {tag.Artifact} resolved to {reference?.ToJsonString() ?? "nothing"}, not an artifact reference (did that step save files?)"));
            return;
        }

        var result = await artifacts.TagAsync(handle.Run, text, tag.As, token);
        await handle.UpdateAsync(run =>
        {
            var state = run.Step(step.Name);
            state.Status = WorkflowRunStatus.Succeeded;
            state.Runs.Clear();
            state.Runs.Add(new WorkflowStepRun
            {
                Status = WorkflowRunStatus.Succeeded,
                Attempt = 1,
                StartedAt = started,
                DurationMs = (long)timeProvider.GetElapsedTime(clock).TotalMilliseconds,
                Result = result,
            });
        });
    }

    private static string ErrorOf(ActivationRecord? record) =>
        record is null ? "the activation did not run"
            : record.Result is JsonObject o && o["error"] is { } error
                ? $"{record.Status}: {(error is JsonValue v && v.TryGetValue<string>(out var s) ? s : error.ToJsonString())} (activation {record.ActivationId})"
                : $"{record.Status} (activation {record.ActivationId})";

    private static void Fail(WorkflowStepState state, string reason)
    {
        state.Status = WorkflowRunStatus.Failed;
        state.Reason = reason;
    }

    private static void Cancel(WorkflowStepState state)
    {
        state.Status = WorkflowRunStatus.Cancelled;
        state.Reason = "the run was cancelled";
        foreach (var run in state.Runs.Where(r => !WorkflowRunStatus.IsFinal(r.Status)))
        {
            run.Status = WorkflowRunStatus.Cancelled;
            run.Error = "the run was cancelled while this ran";
        }
    }

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "Workflow run {RunId}: step {Step} failed")]
    private partial void LogStepFailed(Exception exception, string runId, string step);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Workflow run {RunId}: step {Step} on {Platform}, attempt {Attempt} failed: {Error}")]
    private partial void LogAttemptFailed(string runId, string step, string? platform, int attempt, string? error);
}
