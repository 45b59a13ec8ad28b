using Microsoft.Extensions.Options;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Registry;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// The registry's notification queue lives in memory and is lost when it (or the invoker) is down, so at
/// start-up and on an interval the tags of every repository a rule names (or its glob matches in the registry's
/// catalog) are compared with what was seen,
/// and a tag whose digest changed is stored as a push (processed like a webhook's, once): an image push, or — an image
/// manifest whose config is not an image config — an artifact push; referrers tag schema indexes (<c>sha256-&lt;hex&gt;</c>)
/// are bookkeeping of the artifacts' subjects and never count. With several replicas on one
/// PostgreSQL store only the replica holding the reconciler's advisory lock reconciles; when it dies its connection
/// drops, the lock with it, and another replica takes over at its next interval.
/// </summary>
internal sealed partial class Reconciler(
    IRuleStore rules,
    PushStore pushes,
    TriggerDatabase database,
    IRegistryClient registry,
    TriggerSignal signal,
    IOptions<TriggerOptions> options,
    TimeProvider timeProvider,
    ILogger<Reconciler> logger) : BackgroundService
{
    // Read when used, not when constructed: the host builds hosted services before it validates options at start-up.
    private TriggerOptions _options => options.Value;

    private ILeadership? _leadership;

    /// <summary>Whether this replica is the one that reconciles (it keeps the lock once it has it, until it stops).</summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        if (_leadership is not null && !await _leadership.IsHeldAsync(cancellationToken))
        {
            await _leadership.DisposeAsync();
            _leadership = null;
        }

        if (_leadership is null)
        {
            _leadership = await database.Store.TryLeadAsync(LeaderKeys.Reconciler, cancellationToken);
            if (_leadership is null)
            {
                LogNotLeader();
            }
        }

        return _leadership is not null;
    }

    /// <summary>Gives the reconciler's lock up (at shutdown; tests).</summary>
    public async Task StepDownAsync()
    {
        if (_leadership is not null)
        {
            await _leadership.DisposeAsync();
            _leadership = null;
        }
    }

    /// <summary>One pass over every watched repository; returns how many missed pushes it stored.</summary>
    public async Task<int> ReconcileAsync(CancellationToken cancellationToken)
    {
        var found = 0;
        var watched = (await WatchedAsync(await rules.ListAsync(cancellationToken), cancellationToken)).GroupBy(x => x.Target);
        foreach (var group in watched)
        {
            var (registryHost, repository) = group.Key;
            try
            {
                found += await ReconcileRepositoryAsync(registryHost, repository, [.. group.Select(x => x.Rule)], baselineOnly: false, cancellationToken);
            }
            catch (Exception exception) when (exception is RegistryException or HttpRequestException)
            {
                LogReconcileFailed(exception, $"{registryHost}/{repository}");
            }
        }

        if (found > 0)
        {
            signal.Notify();
        }

        return found;
    }

    /// <summary>Records a new rule's repositories as they are now, so that only later pushes fire it.</summary>
    public async Task BaselineAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        foreach (var ((registryHost, repository), _) in await WatchedAsync([rule], cancellationToken))
        {
            await ReconcileRepositoryAsync(registryHost, repository, [rule], baselineOnly: true, cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.ProcessPushes)
        {
            return;
        }

        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await TryLeadAsync(stoppingToken))
                    {
                        var found = await ReconcileAsync(stoppingToken);
                        if (found > 0)
                        {
                            LogFound(found);
                        }
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogReconcileFailed(exception, "(all)");
                }

                await Task.Delay(_options.ReconcileInterval, timeProvider, stoppingToken);
            }
        }
        finally
        {
            await StepDownAsync();
        }
    }

    /// <summary>
    /// The (registry, repository) pairs the rules watch: a literal repository as named; a glob is matched against the
    /// registry's catalog (read once per registry and pass). A registry without a catalog leaves its glob rules to the
    /// webhook alone, and says so.
    /// </summary>
    private async Task<List<((string Registry, string Repository) Target, RuleDefinition Rule)>> WatchedAsync(
        IEnumerable<RuleDefinition> watching, CancellationToken cancellationToken)
    {
        var catalogs = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var watched = new List<((string, string), RuleDefinition)>();
        foreach (var rule in watching)
        {
            // A rule stored before validation was strict enough can name nothing that exists: say so in one line and skip it.
            if (RuleValidator.Validate(rule) is { Count: > 0 } errors)
            {
                LogInvalidRule(rule.Name, string.Join(" ", errors));
                continue;
            }

            if (rule.Repository is null)
            {
                continue; // A scheduled rule watches no repository.
            }

            var (host, pattern) = RuleMatcher.Split(rule.Repository);
            var registryHost = host ?? _options.DefaultRegistry;
            if (Glob.IsLiteral(pattern))
            {
                watched.Add(((registryHost, pattern), rule));
                continue;
            }

            if (!catalogs.TryGetValue(registryHost, out var repositories))
            {
                repositories = await CatalogAsync(registryHost, rule, cancellationToken);
                catalogs[registryHost] = repositories;
            }

            watched.AddRange(repositories.Where(r => Glob.IsMatch(pattern, r)).Select(r => ((registryHost, r), rule)));
        }

        return watched;
    }

    private async Task<IReadOnlyList<string>> CatalogAsync(string registryHost, RuleDefinition rule, CancellationToken cancellationToken)
    {
        try
        {
            var repositories = await registry.ListRepositoriesAsync(registryHost, cancellationToken);
            if (repositories is null)
            {
                LogNoCatalog(registryHost, rule.Name, rule.Repository ?? "");
            }

            return repositories ?? [];
        }
        catch (Exception exception) when (exception is RegistryException or HttpRequestException)
        {
            LogReconcileFailed(exception, $"{registryHost} (catalog, for rule {rule.Name})");
            return [];
        }
    }

    private async Task<int> ReconcileRepositoryAsync(string registryHost, string repository, IReadOnlyList<RuleDefinition> watching, bool baselineOnly, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"{registryHost}/{repository}");
        var tags = await registry.ListTagsAsync(reference, cancellationToken) ?? [];
        var missed = new List<ImagePush>();
        var missedArtifacts = new List<ArtifactPush>();
        foreach (var tag in tags.Where(t => !_options.IsIgnored(t) && !ReferrersTag.IsReferrersTag(t) && watching.Any(r => Glob.IsMatch(r.Tag, t))))
        {
            var descriptor = await registry.HeadManifestAsync(reference.WithTag(tag), cancellationToken);
            if (descriptor is null)
            {
                continue;
            }

            if (baselineOnly)
            {
                await pushes.BaselineAsync(registryHost, repository, tag, descriptor.Digest, cancellationToken);
                continue;
            }

            var seen = await pushes.SeenDigestAsync(registryHost, repository, tag, cancellationToken);
            var digest = descriptor.Digest.ToString();
            if (seen != digest && !await pushes.IsPendingAsync(registryHost, repository, tag, digest, cancellationToken))
            {
                // An index is an image; an image manifest is an artifact when its config is not an image config (the
                // reducer's rule for notifications; HEAD does not tell, so the manifest is read).
                if (MediaTypes.IsImageManifest(descriptor.MediaType)
                    && await registry.GetManifestAsync(reference.WithDigest(descriptor.Digest), cancellationToken) is { Manifest: { } manifest }
                    && !MediaTypes.IsImageConfig(manifest.Config.MediaType))
                {
                    missedArtifacts.Add(new ArtifactPush(registryHost, repository, tag, descriptor.Digest, descriptor.MediaType, manifest.Config.MediaType));
                }
                else
                {
                    missed.Add(new ImagePush(registryHost, repository, tag, descriptor.Digest, descriptor.MediaType));
                }
            }
        }

        if (missed.Count > 0)
        {
            await pushes.AddAsync(missed, "reconcile", cancellationToken);
        }

        if (missedArtifacts.Count > 0)
        {
            await pushes.AddArtifactsAsync(missedArtifacts, "reconcile", cancellationToken);
        }

        return missed.Count + missedArtifacts.Count;
    }

    [LoggerMessage(EventId = 7305, Level = LogLevel.Debug, Message = "Another replica holds the reconciler's lock: this one does not reconcile")]
    private partial void LogNotLeader();

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information, Message = "Reconciliation found {Count} pushes the webhook missed")]
    private partial void LogFound(int count);

    [LoggerMessage(EventId = 7303, Level = LogLevel.Warning, Message = "Registry {Registry} serves no catalog (GET /v2/_catalog is 404): rule {Rule} ({Repository}) cannot be reconciled, so pushes its webhook misses while the invoker is down are not found. Name the repository without a glob, or let the registry serve its catalog")]
    private partial void LogNoCatalog(string registry, string rule, string repository);

    [LoggerMessage(EventId = 7304, Level = LogLevel.Warning, Message = "Rule {Rule} is invalid and is not reconciled: {Errors} Replace it (rules create) or delete it")]
    private partial void LogInvalidRule(string rule, string errors);

    [LoggerMessage(EventId = 7302, Level = LogLevel.Warning, Message = "Could not reconcile {Repository}; retrying at the next interval")]
    private partial void LogReconcileFailed(Exception exception, string repository);
}
