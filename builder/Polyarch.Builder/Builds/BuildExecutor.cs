using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Definition;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Builder.Telemetry;
using Polyarch.Registry.Indexes;

namespace Polyarch.Builder.Builds;

/// <summary>
/// Runs one claimed build: checkout → platform check → bake to a staging tag → verify every index →
/// only then move the real tags by manifest PUT. A failure anywhere leaves the real tags where they were.
/// </summary>
internal sealed partial class BuildExecutor(
    GitSource git,
    CheckoutDirectories checkouts,
    BuildDefinitionResolver definitions,
    BuilderPlatforms builderPlatforms,
    BakeRunner bake,
    IImagePublisher publisher,
    StagingTags stagingTags,
    IBuildStore store,
    BuildCancellations cancellations,
    IOptions<BuilderOptions> options,
    TimeProvider time,
    Fitness.BuildMetrics metrics,
    ILogger<BuildExecutor> logger)
{
    /// <summary>The wait before retrying a bake that met distribution's manifest write race (<see cref="BakeOutcome.IsManifestWriteRace"/>).</summary>
    private static readonly TimeSpan WriteRaceRetryDelay = TimeSpan.FromMilliseconds(100);

    private readonly BuilderOptions _options = options.Value;

    /// <summary>Runs the build to a final state and stores it; returns the stored record.</summary>
    /// <remarks>
    /// When <paramref name="cancellationToken"/> fires, the build goes back to the queue (service shutdown) or,
    /// with <paramref name="requeueOnCancel"/> false (a user's Ctrl+C in the CLI), fails as cancelled.
    /// <para><c>onRecorded</c> is called once the final record is stored (succeeded, failed or cancelled), before the
    /// housekeeping that follows it — the staging tags' removal and the work directory's — so that whoever follows the
    /// build (the events stream) hears the outcome without waiting for what cannot change it.</para>
    /// </remarks>
    public async Task<BuildRecord> ExecuteAsync(
        BuildRecord build, Action<PlatformProgress>? onProgress, CancellationToken cancellationToken, bool requeueOnCancel = true, Action? onRecorded = null)
    {
        using var timeout = new CancellationTokenSource(_options.BuildTimeout, time);
        using var requested = cancellations.Register(build.Id);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token, requested.Token);
        var run = new BuildRun(build);
        var announced = false;
        void Announce()
        {
            if (!announced)
            {
                announced = true;
                onRecorded?.Invoke();
            }
        }

        run.Phases.Add(("queued", (build.StartedAt ?? time.GetUtcNow()) - build.CreatedAt));
        Log.Started(logger, build.Id, build.Request.Repository, build.Request.Commit);
        var parent = BuilderTelemetry.Parent(build.Request.TraceParent);
        BuilderTelemetry.Record("queued", parent, build.CreatedAt, build.StartedAt ?? time.GetUtcNow(), ("polyarch.build.id", build.Id));
        using var activity = BuilderTelemetry.Source.StartActivity("build", ActivityKind.Internal, parent);
        activity?.SetTag("polyarch.build.id", build.Id);
        activity?.SetTag("polyarch.repository", build.Request.Repository);
        activity?.SetTag("polyarch.commit", build.Request.Commit);
        activity?.SetTag("polyarch.platforms", build.Request.PlatformsKey);
        metrics.Started(build);
        try
        {
            var images = await RunAsync(run, onProgress, linked.Token);
            await store.FinishAsync(build.Id, BuildStatus.Succeeded, images, run.Timings, run.Retries, run.Warnings, null, run.Logs, CancellationToken.None);
            run.EndPhase("record");
            Announce();
            if (logger.IsEnabled(LogLevel.Information))
            {
                var phases = run.DescribePhases();
                Log.Phases(logger, build.Id, phases);
            }
            metrics.Finished(build, BuildStatus.Succeeded, run.Timings);
            var references = string.Join(", ", images.Select(i => i.Reference));
            Log.Succeeded(logger, build.Id, references);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !requeueOnCancel)
        {
            await FailAsync(run, new BuildError("The build was cancelled; buildx was interrupted and no tag was moved.", 1));
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down: the build is not lost, it runs again at the next start-up.
            await store.RequeueAsync(build.Id, CancellationToken.None);
            Log.Requeued(logger, build.Id);
            throw;
        }
        catch (Exception) when (requested.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A user's cancel (POST /v1/builds/{id}/cancel): bake's process group was interrupted, then killed (DockerCli).
            await store.FinishAsync(
                build.Id, BuildStatus.Cancelled, [], run.Timings, run.Retries, run.Warnings,
                new BuildError($"Build {build.Id} was cancelled; buildx was interrupted and no tag was moved.", 1), run.Logs, CancellationToken.None);
            Log.Cancelled(logger, build.Id);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var error = new BuildError($"The build timed out after {_options.BuildTimeout}; buildx was interrupted and no tag was moved. Raise Builder:BuildTimeout or make the build faster.", 1);
            await FailAsync(run, error);
        }
        catch (BuilderException exception)
        {
            var failed = exception as BuildFailedException;
            await FailAsync(run, new BuildError(exception.Message, exception.ExitCode, failed?.Platform, failed?.Step, failed?.LogTail));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never leave a build "running" forever because of a bug or an unexpected I/O error.
            await FailAsync(run, new BuildError($"Internal error ({exception.GetType().Name}): {exception.Message}. Report it with the build log.", 1));
        }
        finally
        {
            await RemoveStagingTagsAsync(run, linked.Token);
            TryDelete(WorkDirectory(build.Id));
        }

        Announce(); // A failed or cancelled build (a succeeded one was announced as soon as it was recorded).
        return (await store.GetAsync(build.Id, CancellationToken.None))!;
    }

    private async Task<IReadOnlyList<BuiltImage>> RunAsync(BuildRun run, Action<PlatformProgress>? onProgress, CancellationToken cancellationToken)
    {
        var request = run.Build.Request;
        var buildSpan = Activity.Current?.Source == BuilderTelemetry.Source ? Activity.Current : null;
        if (run.Build.ReuseOf is { } reuseOf && await store.GetAsync(reuseOf, cancellationToken) is { Status: BuildStatus.Succeeded } built)
        {
            // This commit is already built: a new branch tag is a manifest PUT, not a rebuild.
            return await RetagAsync(run, built, cancellationToken);
        }

        var work = WorkDirectory(run.Build.Id);
        StatePaths.CreatePrivateDirectory(work); // the bake's definition, metadata and process files
        // The repository's own checkout directory, kept between its builds (CheckoutDirectories: BuildKit sends only what changed).
        using var checkoutLease = checkouts.Take(request.SourceUrl);
        var checkout = checkoutLease.Path;
        // `buildx inspect` takes 0.6–3 s here when its answer is not cached (a fresh state, every 5 min): the platform
        // check runs beside the checkout and, if still running, beside the bake; it is awaited before the bake's outcome
        // is used, so an impossible platform is still reported as such (exit 2) and then ends the bake.
        var supported = builderPlatforms.EnsureSupportedAsync(request.Platforms, cancellationToken);
        try
        {
            using var checkoutSpan = BuilderTelemetry.Source.StartActivity("checkout");
            checkoutSpan?.SetTag("polyarch.source", request.SourceUrl);
            await Task.WhenAll(
                publisher.EnsureReachableAsync(request.Registry, cancellationToken),
                git.CheckoutAsync(request.SourceUrl, request.Commit, checkout, cancellationToken));
            run.EndPhase("checkout");
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            await supported; // An impossible platform is reported first, as before.
            throw;
        }

        var definition = await definitions.ResolveAsync(checkout, work, request.Repository, cancellationToken);
        run.EndPhase("definition");
        // Several targets push to <repository>/<target>: names known only now, checked before anything is built.
        BuildRequestValidator.Throw([.. definition.Targets
            .Select(t => RegistryNames.RepositoryProblem(request.Registry, t.Repository) is { } problem ? $"Bake target '{t.Name}': {problem} Rename the target or pass a shorter repository." : null)
            .OfType<string>()]);
        var invocation = new BakeInvocation(
            definition, request.Registry, request.Platforms, $"polyarch-build-{run.Build.Id}", SourceLabel(request.SourceUrl), request.Commit,
            time.GetUtcNow(), Path.Combine(work, "metadata.json"), _options.BuilderName);

        // Each index is read back as soon as BuildKit reports it pushed, while the bake finishes (EarlyVerifications).
        using var early = new EarlyVerifications(publisher, invocation, buildSpan?.Context ?? default, cancellationToken);
        BakeOutcome outcome;
        using (var bakeSpan = BuilderTelemetry.Source.StartActivity("bake"))
        {
            var bakeStarted = time.GetUtcNow();
            try
            {
                outcome = await BakeBesidePlatformCheckAsync(run, invocation, checkout, supported, onProgress, early.OnIndexPushed, cancellationToken);
            }
            finally
            {
                RecordPlatforms(bakeSpan, bakeStarted, run.Timings);
            }

            run.EndPhase("bake");
        }

        var images = new List<(BuildTarget Target, VerifiedImage Image)>();
        using (var verifySpan = BuilderTelemetry.Source.StartActivity("verify"))
        {
            var whileBaking = 0;
            foreach (var target in definition.Targets)
            {
                if (!outcome.TargetDigests.TryGetValue(target.Name, out var digest))
                {
                    throw new BuildFailedException($"buildx reported no pushed digest for target '{target.Name}' (metadata file {invocation.MetadataFile}). No tag was moved; build again.");
                }

                var verified = await early.TakeAsync(target.Repository, digest);
                whileBaking += verified is null ? 0 : 1;
                images.Add((target, verified ?? await publisher.VerifyAsync(request.Registry, target.Repository, digest, request.Platforms, run.Retries.Add, cancellationToken)));
            }

            verifySpan?.SetTag("polyarch.verified_while_baking", whileBaking);

            run.EndPhase("verify");

            // What placement reads from each config goes onto its index entry too (one round trip to place); that rewrites
            // every index, so the annotated ones are what gets verified again and tagged.
            // The index also carries the build's trace context, so the invoker's firing joins this trace.
            var indexAnnotations = buildSpan?.Id is { } traceParent ? new Dictionary<string, string> { [TraceAnnotations.TraceParent] = traceParent } : null;
            for (var i = 0; i < images.Count; i++)
            {
                images[i] = (images[i].Target, await publisher.AnnotateAsync(request.Registry, images[i].Image, invocation.StagingTag, cancellationToken, indexAnnotations));
            }

            run.EndPhase("annotate");
        }

        // Every target is verified: only now do the real tags move.
        var tags = request.Tags;
        using (var tagSpan = BuilderTelemetry.Source.StartActivity("tag"))
        {
            tagSpan?.SetTag("polyarch.tags", string.Join(',', tags));
            foreach (var (target, image) in images)
            {
                tagSpan?.AddEvent(new ActivityEvent($"{request.Registry}/{target.Repository}@{image.IndexDigest}"));
                await publisher.TagAsync(request.Registry, target.Repository, image.IndexDigest, tags, run.Retries.Add, cancellationToken);
            }

            run.EndPhase("tag");
        }

        // The staging tags served their purpose: removed once the record is final (RemoveStagingTagsAsync).
        run.StagingTags.AddRange(images.Select(i => new StagingTag(request.Registry, i.Target.Repository, invocation.StagingTag, i.Image.IndexDigest)));

        return [.. images.Select(i => new BuiltImage(i.Target.Name, request.Registry, i.Target.Repository, i.Image.IndexDigest, tags, i.Image.Platforms))];
    }

    private async Task<BakeOutcome> BakeBesidePlatformCheckAsync(
        BuildRun run, BakeInvocation invocation, string checkout, Task supported, Action<PlatformProgress>? onProgress, Action<PushedIndex> onIndexPushed, CancellationToken cancellationToken)
    {
        if (supported.IsCompletedSuccessfully)
        {
            return await BakeWithRetriesAsync(run, invocation, checkout, onProgress, onIndexPushed, cancellationToken);
        }

        using var bakeCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var baking = BakeWithRetriesAsync(run, invocation, checkout, onProgress, onIndexPushed, bakeCancel.Token);
        try
        {
            await supported;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // An impossible platform (or buildx not answering): that is the error, whatever the bake was doing.
            await bakeCancel.CancelAsync();
            try
            {
                await baking;
            }
            catch (Exception) when (bakeCancel.IsCancellationRequested)
            {
                // Interrupted on purpose; nothing was tagged.
            }

            throw;
        }

        return await baking;
    }

    private async Task<BakeOutcome> BakeWithRetriesAsync(
        BuildRun run, BakeInvocation invocation, string checkout, Action<PlatformProgress>? onProgress, Action<PushedIndex> onIndexPushed, CancellationToken cancellationToken)
    {
        var delay = _options.PushRetryDelay;
        for (var attempt = 0; ; attempt++)
        {
            var outcome = await bake.RunAsync(invocation, checkout, onProgress, cancellationToken, onIndexPushed);
            run.Record(outcome);
            if (outcome.ExitCode == 0)
            {
                return outcome;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (outcome.IsCacheExportFailure && await PushedDespiteCacheExportAsync(run, invocation, outcome, cancellationToken) is { } pushed)
            {
                return pushed;
            }

            if (outcome.IsTransientRegistryError && attempt < _options.PushRetries)
            {
                // distribution's read-during-write race is over once the engine's write is: no back-off for it.
                var race = outcome.IsManifestWriteRace;
                var wait = race && delay > WriteRaceRetryDelay ? WriteRaceRetryDelay : delay;
                var note = $"bake attempt {attempt + 1} failed with a transient registry error ({outcome.Failure!.Error}); retried after {wait.TotalSeconds:0.0#} s";
                run.Retries.Add(note);
                Log.Retrying(logger, run.Build.Id, note);
                await Task.Delay(wait, time, cancellationToken);
                delay = race ? delay : delay * 2;
                continue;
            }

            var failure = outcome.Failure;
            if (outcome.IsTransientRegistryError)
            {
                // Still failing after every retry: the registry (or the way to it) is down, which is a dependency (exit 3), not the build.
                throw new DependencyUnavailableException(
                    $"The registry {invocation.Registry} kept failing while buildx pushed or pulled ({failure!.Error}) after {attempt + 1} attempts. " +
                    "No tag was moved; check the registry (./scripts/host.sh status) and redeliver the push or build again.");
            }

            var where = failure?.Platform is null ? "" : $" for {failure.Platform}";
            throw new BuildFailedException(
                $"The build failed{where} at step '{failure?.Step ?? "buildx"}': {failure?.Error ?? $"docker buildx bake exited with {outcome.ExitCode}"}. No tag was moved; see the build log.",
                failure?.Platform, failure?.Step, failure?.LogTail);
        }
    }

    /// <summary>
    /// BuildKit exports the build cache after the image was exported and pushed: when only the cache export failed
    /// and every target's staging tag is in the registry, the build goes on (the index is verified as always) with a
    /// warning. Null when an image is missing, so the failure stands.
    /// </summary>
    private async Task<BakeOutcome?> PushedDespiteCacheExportAsync(BuildRun run, BakeInvocation invocation, BakeOutcome outcome, CancellationToken cancellationToken)
    {
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var target in invocation.Definition.Targets)
        {
            if (await publisher.FindTagAsync(invocation.Registry, target.Repository, invocation.StagingTag, cancellationToken) is not { } digest)
            {
                return null;
            }

            digests[target.Name] = digest;
        }

        var warning = $"The build cache could not be exported ({outcome.Failure!.Error}); the image was pushed and is verified as usual. " +
            "The next build may rebuild layers the cache would have kept.";
        run.Warnings.Add(warning);
        Log.CacheExportFailed(logger, run.Build.Id, warning);
        return outcome with { TargetDigests = digests };
    }

    private async Task<IReadOnlyList<BuiltImage>> RetagAsync(BuildRun run, BuildRecord built, CancellationToken cancellationToken)
    {
        var tags = run.Build.Request.Tags;
        var images = new List<BuiltImage>();
        foreach (var image in built.Images)
        {
            var verified = await publisher.VerifyAsync(image.Registry, image.Repository, image.IndexDigest, run.Build.Request.Platforms, run.Retries.Add, cancellationToken);
            await publisher.TagAsync(image.Registry, image.Repository, verified.IndexDigest, tags, run.Retries.Add, cancellationToken);
            images.Add(image with { Tags = [.. image.Tags.Union(tags, StringComparer.Ordinal)], Platforms = verified.Platforms });
        }

        run.Logs[""] = $"Commit {run.Build.Request.Commit} was already built by {built.Id}; tagged {string.Join(", ", tags)} by manifest PUT.\n";
        return images;
    }

    /// <summary>Best effort, never failing the build: a staging tag left behind never triggers anything (Triggers:IgnoredTags).</summary>
    private async Task RemoveStagingTagsAsync(BuildRun run, CancellationToken cancellationToken)
    {
        foreach (var staging in run.StagingTags)
        {
            try
            {
                await stagingTags.DeleteAsync(staging.Registry, staging.Repository, staging.Tag, staging.VerifiedDigest, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return; // Shutting down or timed out: the next build's tags are unaffected.
            }
        }
    }

    private async Task FailAsync(BuildRun run, BuildError error)
    {
        Activity.Current?.SetStatus(ActivityStatusCode.Error, error.Message);
        await store.FinishAsync(run.Build.Id, BuildStatus.Failed, [], run.Timings, run.Retries, run.Warnings, error, run.Logs, CancellationToken.None);
        metrics.Finished(run.Build, BuildStatus.Failed, run.Timings);
        Log.Failed(logger, run.Build.Id, error.Message);
    }

    /// <summary>One child span per platform under <paramref name="bake"/>, as long as its steps took (BuildKit runs them side by side).</summary>
    private static void RecordPlatforms(Activity? bake, DateTimeOffset started, IEnumerable<PlatformTiming> timings)
    {
        if (bake is null)
        {
            return;
        }

        foreach (var timing in timings)
        {
            BuilderTelemetry.Record(
                $"bake {timing.Platform}", bake.Context, started, started.AddMilliseconds(timing.DurationMs),
                ("polyarch.platform", timing.Platform), ("polyarch.steps", timing.Steps), ("polyarch.failed", timing.Failed));
        }

        bake.SetTag("polyarch.platforms.failed", string.Join(',', timings.Where(t => t.Failed).Select(t => t.Platform)));
    }

    // org.opencontainers.image.source is a URL: local paths become file:// URLs.
    private static string SourceLabel(string sourceUrl) => SourceUrl.IsLocal(sourceUrl) ? new Uri(sourceUrl).AbsoluteUri : sourceUrl;

    private string WorkDirectory(string buildId) => Path.Combine(StatePaths.BuilderDirectory(_options.StateDirectory), "work", buildId);

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort; the next build of this id starts from a clean directory anyway.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Build {BuildId} started: {Repository} at {Commit}")]
        public static partial void Started(ILogger logger, string buildId, string repository, string commit);

        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Build {BuildId} succeeded: {Images}")]
        public static partial void Succeeded(ILogger logger, string buildId, string images);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Build {BuildId} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string buildId, string reason);

        [LoggerMessage(EventId = 203, Level = LogLevel.Warning, Message = "Build {BuildId}: {Retry}")]
        public static partial void Retrying(ILogger logger, string buildId, string retry);

        [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Build {BuildId} interrupted by shutdown; queued again")]
        public static partial void Requeued(ILogger logger, string buildId);

        [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Build {BuildId} took {Phases}")]
        public static partial void Phases(ILogger logger, string buildId, string phases);

        [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Build {BuildId} cancelled by request")]
        public static partial void Cancelled(ILogger logger, string buildId);

        [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Build {BuildId}: {Warning}")]
        public static partial void CacheExportFailed(ILogger logger, string buildId, string warning);
    }
}
