using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Rules;
using Polyarch.Registry;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Notifications;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Takes stored pushes, oldest first, and fires the rules that match: once per (rule, repository, digest), when
/// the index holds every platform the rule requires. An artifact push fires the rules for its artifactType (read from the
/// manifest), once per (rule, repository, digest) too. A push is marked done only after its firings are stored,
/// and firings interrupted by a restart resume at start-up. With several replicas on one store each push is claimed by
/// one (a lease), each rule's firing is stored by one (its key), and a firing whose replica died is taken over once its
/// lease expired.
/// </summary>
internal sealed partial class PushProcessor(
    PushStore pushes,
    FiringStore firings,
    IRuleStore rules,
    IVariantCatalog catalog,
    IRegistryClient registry,
    IArtifactStore artifacts,
    FiringPlanner planner,
    FiringRunner runner,
    TriggerDatabase database,
    TriggerSignal signal,
    TriggerMetrics metrics,
    TimeProvider timeProvider,
    IOptions<TriggerOptions> options,
    ILogger<PushProcessor> logger) : BackgroundService
{
    // Read when used, not when constructed: the host builds hosted services before it validates options at start-up.
    private TriggerOptions _options => options.Value;

    /// <summary>Processes every pending push once (the loop's body; tests call it directly).</summary>
    public async Task ProcessPendingAsync(CancellationToken cancellationToken)
    {
        // Few at a time: each may wait Triggers:MissingTagWait, and the claim's lease should outlast the batch. Batch after
        // batch until the due pushes are done: a burst larger than one batch is not left to the next signal or poll
        // (Triggers:PollInterval, 5 s, per 20 pushes once the burst's notifications stop: issue 18, P10).
        // A push that stays pending (a failed attempt) ends the pass, so its retries stay a poll apart.
        IReadOnlyList<StoredPush> batch;
        var settled = true;
        do
        {
            batch = await pushes.ClaimAsync(ClaimBatch, _options.ManifestSettleDelay, cancellationToken);
            foreach (var push in batch)
            {
                settled &= await ProcessAsync(push, cancellationToken);
            }
        }
        while (batch.Count == ClaimBatch && settled && !cancellationToken.IsCancellationRequested);
    }

    private const int ClaimBatch = 20;

    /// <summary>
    /// Starts the pending firings this replica may run: at start-up on SQLite every one (the one process that ran them
    /// is gone), otherwise those whose replica stopped renewing its lease (killed, lost). Returns how many it started.
    /// </summary>
    public async Task<int> TakeOverFiringsAsync(bool startup, CancellationToken cancellationToken)
    {
        var started = 0;
        foreach (var firing in await firings.ClaimAsync(all: startup && !database.Store.IsPostgres, cancellationToken))
        {
            if (runner.IsRunning(firing))
            {
                continue;
            }

            LogResuming(firing.Rule, firing.Repository, firing.Digest);
            runner.Start(firing, received: null, cancellationToken);
            started++;
        }

        return started;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ProcessPushes)
        {
            return;
        }

        var startup = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await TakeOverFiringsAsync(startup, stoppingToken);
                startup = false;
                await ProcessPendingAsync(stoppingToken);
                metrics.SetPendingPushes(await pushes.CountPendingAsync(stoppingToken));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogLoopFailed(exception);
            }

            await signal.WaitAsync(_options.PollInterval, stoppingToken);
        }
    }

    /// <summary>Processes one claimed push; false when it stays pending (not due yet, or an attempt failed).</summary>
    private async Task<bool> ProcessAsync(StoredPush stored, CancellationToken cancellationToken)
    {
        var push = stored.Push;
        var repositoryName = $"{push.Registry}/{push.Repository}";
        if (_options.IsIgnored(push.Tag))
        {
            LogIgnoredTag(repositoryName, push.Tag, push.Digest);
            await pushes.CompleteAsync(stored, cancellationToken);
            return true;
        }

        // An artifact is pushed once and no index replaces it: it needs no settling.
        if (stored.Artifact is null && !MediaTypes.IsIndex(push.MediaType)
            && timeProvider.GetUtcNow().ToUnixTimeMilliseconds() - stored.Received < (long)_options.ManifestSettleDelay.TotalMilliseconds)
        {
            await pushes.ReleaseAsync(stored, cancellationToken);
            return false;
        }

        try
        {
            // A pushed index that an action rule matches is resolved while its tag is looked up: the two do not depend on
            // each other, and a cold resolution (index, then each variant's manifest and config for an image built
            // elsewhere) is most of a repository's first push's event → start (P7, issue 18). A digest names the same image
            // whatever the tag says: a superseded push only wastes the read.
            var matching = stored.Artifact is null
                ? (await rules.ListAsync(cancellationToken)).Where(r => RuleMatcher.Matches(r, push) && IsValid(r)).ToList()
                : [];
            Task<ImageVariants>? resolving = null;
            if (MediaTypes.IsIndex(push.MediaType) && matching.Any(r => r.Workflow is null))
            {
                resolving = catalog.GetAsync($"{repositoryName}@{push.Digest}", cancellationToken);
                // Observed when the push ends before it is awaited (superseded, the tag look-up failed).
                _ = resolving.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }

            // Only the image a tag points at now matters: the engine's child pushes and older re-pushes are replaced.
            var current = await HeadTagAsync(ImageReference.Parse($"{repositoryName}:{push.Tag}"), cancellationToken);
            if (current is not null && current.Digest != push.Digest)
            {
                LogSuperseded(repositoryName, push.Tag, push.Digest, current.Digest);
                await pushes.SupersedeAsync(stored, cancellationToken);
                return true;
            }

            if (current is null)
            {
                // Still no tag after Triggers:MissingTagWait. The event is the registry's own word that this manifest was
                // pushed under this tag, and a missing tag is no sign of a later push (that would make the tag name another
                // digest, which supersedes). So the push fires for the digest it names — pinned, so it runs exactly what
                // was pushed — rather than be dropped; firings stay once per (rule, repository, digest) whatever follows.
                LogTagMissing(repositoryName, push.Tag, push.Digest, _options.MissingTagWait);
            }

            if (stored.Artifact is { } artifact)
            {
                await FireArtifactAsync(stored, artifact, current, cancellationToken);
                await pushes.CompleteAsync(stored, cancellationToken);
                return true;
            }

            ImageVariants? image = null;
            foreach (var rule in matching)
            {
                if (await firings.ExistsAsync(rule.Name, repositoryName, push.Digest.ToString(), cancellationToken))
                {
                    continue;
                }

                if (rule.Workflow is not null)
                {
                    var trigger = new WorkflowTrigger(WorkflowTrigger.PushKind, rule.Name, push.Registry, push.Repository, push.Tag,
                        push.Digest.ToString(), push.MediaType, current?.Size);
                    await AddAndStartAsync(FiringPlanner.PlanWorkflow(rule, repositoryName, push.Digest.ToString(), trigger), stored, cancellationToken);
                    continue;
                }

                image ??= await (resolving ??= catalog.GetAsync($"{repositoryName}@{push.Digest}", cancellationToken));
                var platforms = await planner.PlatformsAsync(rule, image, cancellationToken);
                if (platforms is null)
                {
                    continue;
                }

                var firing = new Firing(
                    rule.Name,
                    repositoryName,
                    push.Digest.ToString(),
                    rule.Action ?? $"{repositoryName}@{push.Digest}",
                    Params(rule, stored, image),
                    [.. platforms.Select(p => new FiringActivation(p, ActivationId.New()))]);
                await AddAndStartAsync(firing, stored, cancellationToken);
            }

            await pushes.CompleteAsync(stored, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is ImageResolutionException or RegistryException or HttpRequestException)
        {
            var giveUp = stored.Attempts + 1 >= _options.MaxAttempts;
            LogResolutionFailed(exception, $"{repositoryName}:{push.Tag}", push.Digest.ToString(), stored.Attempts + 1, giveUp);
            await pushes.FailAttemptAsync(stored, exception.Message, giveUp, cancellationToken);
            return giveUp;
        }
    }

    /// <summary>
    /// HEAD of the pushed tag; a 404 is asked again (50 ms, doubling to 1 s apart, for up to Triggers:MissingTagWait)
    /// because distribution posts a manifest's push event before it links the tag. Null when the tag is still unknown.
    /// </summary>
    private async Task<Descriptor?> HeadTagAsync(ImageReference tag, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var current = await registry.HeadManifestAsync(tag, cancellationToken);
            if (current is not null || waited >= _options.MissingTagWait)
            {
                return current;
            }

            var step = delay < _options.MissingTagWait - waited ? delay : _options.MissingTagWait - waited;
            LogTagNotYet(tag, step);
            await Task.Delay(step, timeProvider, cancellationToken);
            waited += step;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond));
        }
    }

    /// <summary>
    /// Fires the artifact rules whose repository and tag match and whose artifactType is the pushed manifest's (read
    /// once, only when some rule could match). <paramref name="current"/> is the tag's HEAD (its size), null if unknown.
    /// </summary>
    private async Task FireArtifactAsync(StoredPush stored, ArtifactPush artifact, Descriptor? current, CancellationToken cancellationToken)
    {
        var repositoryName = $"{artifact.Registry}/{artifact.Repository}";
        var candidates = (await rules.ListAsync(cancellationToken)).Where(r => RuleMatcher.Matches(r, artifact) && IsValid(r)).ToList();
        if (candidates.Count == 0)
        {
            return;
        }

        var described = await artifacts.DescribePushAsync(artifact, cancellationToken);
        var size = current?.Size ?? (await registry.HeadManifestAsync(artifact.ToReference(), cancellationToken))?.Size;
        foreach (var rule in candidates)
        {
            if (!RuleMatcher.MatchesType(rule, described.ArtifactType))
            {
                LogOtherArtifactType(rule.Name, repositoryName, artifact.Tag, described.ArtifactType, rule.ArtifactType!);
                continue;
            }

            var digest = artifact.Digest.ToString();
            if (await firings.ExistsAsync(rule.Name, repositoryName, digest, cancellationToken))
            {
                continue;
            }

            var trigger = new WorkflowTrigger(WorkflowTrigger.ArtifactKind, rule.Name, artifact.Registry, artifact.Repository, artifact.Tag,
                digest, artifact.MediaType, size, described.ArtifactType);
            if (await planner.PlanAsync(rule, repositoryName, digest, trigger, cancellationToken) is { } firing)
            {
                await AddAndStartAsync(firing, stored, cancellationToken);
            }
        }
    }

    /// <summary>Stores a firing (once: its key) and, when this call stored it, runs it.</summary>
    private async Task AddAndStartAsync(Firing firing, StoredPush stored, CancellationToken cancellationToken)
    {
        if (await firings.TryAddAsync(firing, stored.Id, cancellationToken))
        {
            metrics.Fired(firing.Rule);
            runner.Start(firing, stored.Received, cancellationToken);
        }
    }

    // A rule stored before validation was strict enough (e.g. platform linux/arm64/v99) is skipped with one line.
    private bool IsValid(RuleDefinition rule)
    {
        var errors = RuleValidator.Validate(rule);
        if (errors.Count > 0)
        {
            LogInvalidRule(rule.Name, string.Join(" ", errors));
        }

        return errors.Count == 0;
    }

    private static JsonObject Params(RuleDefinition rule, StoredPush stored, ImageVariants image)
    {
        var parameters = rule.Params?.DeepClone().AsObject() ?? [];
        parameters["registry"] = stored.Push.Registry;
        parameters["repository"] = stored.Push.Repository;
        parameters["tag"] = stored.Push.Tag;
        parameters["indexDigest"] = stored.Push.Digest.ToString();
        parameters["platforms"] = new JsonArray([.. image.Platforms.Distinct(StringComparer.Ordinal).Select(p => (JsonNode?)p)]);
        return parameters;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information, Message = "Resuming the firing of rule {Rule} for {Repository}@{Digest}: the replica that ran it stopped (a restart, or its lease expired)")]
    private partial void LogResuming(string rule, string repository, string digest);

    [LoggerMessage(EventId = 7209, Level = LogLevel.Warning, Message = "Rule {Rule} matches a push but is invalid and does not fire: {Errors} Replace it (rules create) or delete it")]
    private partial void LogInvalidRule(string rule, string errors);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Error, Message = "The push processor failed; it retries at the next poll")]
    private partial void LogLoopFailed(Exception exception);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Could not resolve pushed image {ImageRef} ({Digest}), attempt {Attempt}; given up: {GivenUp}")]
    private partial void LogResolutionFailed(Exception exception, string imageRef, string digest, int attempt, bool givenUp);

    [LoggerMessage(EventId = 7205, Level = LogLevel.Debug, Message = "Push of {Repository}:{Tag} ({Digest}) is superseded: the tag points at {Current} now")]
    private partial void LogSuperseded(string repository, string tag, Digest digest, Digest? current);

    [LoggerMessage(EventId = 7207, Level = LogLevel.Debug, Message = "Pushed tag {ImageRef} is not in the registry yet (its push event comes before the tag is linked); asking again in {Delay}")]
    private partial void LogTagNotYet(ImageReference imageRef, TimeSpan delay);

    [LoggerMessage(EventId = 7208, Level = LogLevel.Information, Message = "Push of {Repository}:{Tag} ({Digest}): the registry still does not know the tag after {Wait} (Triggers:MissingTagWait); firing for the digest the push event names")]
    private partial void LogTagMissing(string repository, string tag, Digest digest, TimeSpan wait);

    [LoggerMessage(EventId = 7206, Level = LogLevel.Debug, Message = "Push of {Repository}:{Tag} ({Digest}) is ignored: the tag is one of Triggers:IgnoredTags (the builder's own staging and cache tags)")]
    private partial void LogIgnoredTag(string repository, string tag, Digest digest);

    [LoggerMessage(EventId = 7211, Level = LogLevel.Debug, Message = "Rule {Rule} does not fire for {Repository}:{Tag}: the artifact's type is {ArtifactType}, the rule's {RuleArtifactType}")]
    private partial void LogOtherArtifactType(string rule, string repository, string tag, string? artifactType, string ruleArtifactType);
}
