using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Platforms;
using Polyarch.Invoker.Pool;
using Polyarch.Invoker.Telemetry;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// Runs activations: finds the action (or treats the target as an image), resolves the image's variants,
/// places one on the backend, runs it and stores the activation record.
/// </summary>
internal sealed partial class ActionInvoker(
    IActionStore actions,
    IActivationStore activations,
    IVariantCatalog catalog,
    IActionBackend backend,
    TimeProvider timeProvider,
    IOptions<InvokerOptions> options,
    ILogger<ActionInvoker> logger,
    WarmPool? pool = null)
{
    private readonly InvokerOptions _options = options.Value;

    /// <summary>Invokes once; the record says how it went (action failures are records, not exceptions).</summary>
    /// <exception cref="ActionNotFoundException">The target is unknown.</exception>
    /// <exception cref="PlacementException">No variant fits.</exception>
    /// <exception cref="ImageResolutionException">The image cannot be resolved.</exception>
    public async Task<ActivationRecord> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        using var activity = InvokerTelemetry.Source.StartActivity("invoke");
        activity?.SetTag("polyarch.action", request.Target);
        var action = await FindAsync(request.Target, cancellationToken);
        var platform = NormalizePlatform(request.Platform);
        var image = await catalog.GetAsync(action.Image, cancellationToken);
        var inventory = await backend.GetInventoryAsync(cancellationToken);
        var placement = PlacementRequest.For(action, platform);
        PlacementRanking ranking;
        using (var placing = InvokerTelemetry.Source.StartActivity("placement"))
        {
            ranking = PlacementEngine.Rank(image, inventory, placement, pool is null ? null : d => LoadOf(action, d));
            placing?.SetTag("polyarch.candidates", string.Join(',', ranking.Decisions.Select(d => d.Variant.Platform)));
        }

        var refusals = new List<(PlacementDecision, PlacementException)>();
        var judged = new HashSet<PlacementDecision>();
        for (var i = 0; i < ranking.Decisions.Count; i++)
        {
            var decision = ranking.Decisions[i];
            if (judged.Contains(decision))
            {
                continue;
            }

            // No platform named: the backend may take any later candidate with the same needs (Kubernetes: one pod of
            // the index with affinity to their architectures). A platform named: that variant, pinned.
            var anyOf = platform is null
                ? ranking.Decisions.Skip(i).Where(d => !judged.Contains(d) && d.Requirements == decision.Requirements && d.Platform.Emulated == decision.Platform.Emulated).ToList()
                : [decision];
            try
            {
                return await RunAsync(action, image, inventory, decision, request.Params, cancellationToken, request.ActivationId, [.. anyOf.Select(d => d.Variant)]);
            }
            catch (PlacementException refused)
            {
                // The backend refused these candidates before starting anything (e.g. every node of their architecture
                // is full): try the next; only when none is left, fail with every candidate's why-not.
                LogCandidateRefused(decision.Variant.Platform, action.Name, refused.Message);

                // The refusal covers the candidates its rows name (a backend that pinned one of several refused only
                // that one, e.g. a pod the scheduler could not place), and always the one it was given first.
                var named = anyOf.Where(d => d == decision || refused.Candidates.Any(c => PlatformName.IsCompatible(c.Variant, d.Variant.Platform))).ToList();
                foreach (var covered in named)
                {
                    judged.Add(covered);
                    refusals.Add((covered, refused));
                }
            }
        }

        throw PlacementEngine.Refused(image, inventory, placement, ranking, refusals);
    }

    /// <summary>Invokes the image on every platform it has, concurrently; a platform that cannot run reports why.</summary>
    public async Task<IReadOnlyList<FanOutResult>> InvokeAllPlatformsAsync(InvocationRequest request, CancellationToken cancellationToken)
    {
        var action = await FindAsync(request.Target, cancellationToken);
        var image = await catalog.GetAsync(action.Image, cancellationToken);
        var inventory = await backend.GetInventoryAsync(cancellationToken);
        var tasks = image.Variants.Select(v => v.Platform).Distinct(StringComparer.Ordinal).Select(async platform =>
        {
            PlacementDecision decision;
            try
            {
                decision = PlacementEngine.Place(image, inventory, PlacementRequest.For(action, platform));
            }
            catch (PlacementException exception)
            {
                return new FanOutResult(platform, null, exception.Message);
            }

            var record = await RunAsync(action, image, inventory, decision, (JsonObject)request.Params.DeepClone(), cancellationToken);
            return new FanOutResult(platform, record, null);
        });
        return await Task.WhenAll(tasks);
    }

    /// <summary>Starts the action's prewarm containers on each platform it would be placed on.</summary>
    public async Task PrewarmAsync(ActionDefinition action, CancellationToken cancellationToken)
    {
        if (action.Prewarm <= 0)
        {
            return;
        }

        var image = await catalog.GetAsync(action.Image, cancellationToken);
        var inventory = await backend.GetInventoryAsync(cancellationToken);
        var platforms = action.Placement.Required.Count > 0 ? action.Placement.Required : [null!];
        foreach (var platform in platforms)
        {
            var decision = PlacementEngine.Place(image, inventory, PlacementRequest.For(action, platform));
            var context = Context(ActivationId.New(), action, image, decision, []);
            await backend.PrewarmAsync(context, action.Prewarm, cancellationToken);
        }
    }

    public async Task<ActionDefinition> FindAsync(string target, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(target))
        {
            throw new ActionNotFoundException(target);
        }

        var stored = await actions.GetAsync(target, cancellationToken);
        if (stored is not null)
        {
            return stored;
        }

        // Not an action: an image reference has a registry host or repository path.
        if (target.Contains('/', StringComparison.Ordinal))
        {
            // An image that cannot be named in a registry is bad input (exit 2, 400), not a failed resolution.
            return Polyarch.Registry.References.ImageReference.TryParse(target, out _, out var error)
                ? ActionDefinition.ForImage(target)
                : throw new InvalidActionException([new Polyarch.Registry.References.InvalidReferenceException(target, error).Message]);
        }

        throw new ActionNotFoundException(target);
    }

    private static string? NormalizePlatform(string? platform)
    {
        if (platform is null)
        {
            return null;
        }

        return PlatformName.TryNormalize(platform, out var normalized, out var error)
            ? normalized
            : throw new InvalidActionException([error]);
    }

    private async Task<ActivationRecord> RunAsync(
        ActionDefinition action, ImageVariants image, BackendInventory inventory, PlacementDecision decision, JsonObject parameters, CancellationToken cancellationToken,
        string? activationId = null, IReadOnlyList<VariantInfo>? anyOf = null)
    {
        var id = activationId ?? ActivationId.New();
        using var activity = InvokerTelemetry.Source.StartActivity("activation");
        activity?.SetTag("polyarch.activation.id", id);
        activity?.SetTag("polyarch.platform", decision.Variant.Platform);
        activity?.SetTag("polyarch.emulated", decision.Platform.Emulated);
        var start = timeProvider.GetUtcNow();
        var clock = timeProvider.GetTimestamp();
        var context = Context(id, action, image, decision, parameters) with { AnyOf = anyOf is { Count: > 1 } ? anyOf : null };
        BackendRun run;
        try
        {
            run = await backend.RunAsync(context, cancellationToken);
        }
        catch (Exception exception) when (IsPlatformFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogSystemError(exception, id, action.Name);
            var outcome = OutcomeClassifier.SystemError($"The {backend.Name} backend failed: {exception.Message}");
            run = new BackendRun(outcome.Status, outcome.Result, [], false, Cold: true, TimeSpan.Zero, TimeSpan.Zero, timeProvider.GetElapsedTime(clock));
        }

        // Files the action returned (the /run files contract) leave the result before the record is stored: a workflow
        // step stores them as its artifact; the record keeps their names and sizes in its logs.
        var (result, files, filesError) = ResultFiles.Extract(run.Result);
        var status = run.Status;
        var logs = run.Logs;
        var truncated = run.Truncated;
        if (filesError is not null)
        {
            status = ActivationStatus.DeveloperError;
            result = OutcomeClassifier.ErrorObject(filesError);
        }
        else if (result is not null && System.Text.Encoding.UTF8.GetByteCount(result.ToJsonString()) > _options.MaxResultBytes)
        {
            // The answer is read up to the result's cap plus the files' cap; without its files the result keeps its own cap.
            var dropped = OutcomeClassifier.DeveloperError($"The action produced a result larger than the limit of {_options.MaxResultBytes} bytes; it was dropped.", truncated: true);
            (status, result, truncated, files) = (dropped.Status, dropped.Result, true, []);
        }
        else if (files.Count > 0)
        {
            logs = [.. logs, ResultFiles.LogLine(files)];
        }

        var record = new ActivationRecord
        {
            ActivationId = id,
            Action = action.Name,
            Image = image.Image,
            IndexDigest = image.IndexDigest,
            ChildDigest = run.ChildDigest ?? decision.Variant.Digest,
            Platform = run.Platform ?? decision.Variant.Platform,
            Emulated = decision.Platform.Emulated,
            Backend = backend.Name,
            Node = run.Node ?? inventory.Node,
            Cold = run.Cold,
            WaitMs = (long)run.Wait.TotalMilliseconds,
            InitMs = (long)run.Init.TotalMilliseconds,
            RunMs = (long)run.Run.TotalMilliseconds,
            Start = start,
            End = start + timeProvider.GetElapsedTime(clock),
            Status = status,
            Result = result,
            Logs = logs,
            Truncated = truncated,
            Files = files,
        };
        await activations.SaveAsync(record, CancellationToken.None);
        LogActivation(id, action.Name, record.Platform, record.Status, record.Cold);
        return record;
    }

    private ActivationContext Context(string id, ActionDefinition action, ImageVariants image, PlacementDecision decision, JsonObject parameters)
    {
        var (protocol, port) = ProtocolAndPort(action, decision.Variant);
        var deadline = timeProvider.GetUtcNow().AddMilliseconds(action.TimeoutMs);
        return new ActivationContext(id, action, image, decision, protocol, port, parameters, deadline);
    }

    private static (ActionProtocol Protocol, int Port) ProtocolAndPort(ActionDefinition action, VariantInfo variant)
    {
        var labels = variant.Labels;
        var protocol = action.Protocol
            ?? (labels.TryGetValue(ImageLabels.Protocol, out var p) && string.Equals(p, "exec", StringComparison.OrdinalIgnoreCase) ? ActionProtocol.Exec : ActionProtocol.Http);
        var port = labels.TryGetValue(ImageLabels.Port, out var portText) && int.TryParse(portText, out var parsed) && parsed is > 0 and < 65536 ? parsed : 8080;
        return (protocol, port);
    }

    /// <summary>The warm pool's load of a candidate, under the key its backend would use (exec actions keep nothing warm).</summary>
    private PoolLoad LoadOf(ActionDefinition action, PlacementDecision decision)
    {
        var (protocol, port) = ProtocolAndPort(action, decision.Variant);
        return protocol == ActionProtocol.Exec || pool is null
            ? PoolLoad.Available
            : pool.LoadOf(PoolKey.For(action.Name, decision.Variant.Platform, decision.Variant.Digest, decision.Requirements, port, action.Environment, action.Code));
    }

    private bool IsPlatformFailure(Exception exception) =>
        exception is HttpRequestException or IOException or TimeoutException or System.Net.Sockets.SocketException or OperationCanceledException
            || backend.IsBackendFailure(exception);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Activation {ActivationId} of {Action} on {Platform}: {Status} (cold: {Cold})")]
    private partial void LogActivation(string activationId, string action, string? platform, string status, bool cold);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Candidate {Platform} of {Action} was refused by the backend, trying the next: {Reason}")]
    private partial void LogCandidateRefused(string platform, string action, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Activation {ActivationId} of {Action} failed in the backend")]
    private partial void LogSystemError(Exception exception, string activationId, string action);
}
