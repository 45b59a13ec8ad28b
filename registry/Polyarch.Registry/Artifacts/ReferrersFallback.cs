using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>
/// The referrers tag schema (distribution spec 1.1, "Unavailable Referrers API"): for a registry without the referrers
/// API the pusher of a manifest with a subject keeps an image index of the subject's referrers under the tag
/// <c>&lt;alg&gt;-&lt;hex&gt;</c> — pull it (404: start empty), add the descriptor unless listed, push it back.
/// </summary>
/// <remarks>
/// That read-modify-write races: two pushers that read the same index each push it with only their own entry, and the
/// later PUT drops the earlier one. The spec leaves protection to clients (conditional requests where the registry
/// honours them; distribution 2.8 ignores <c>If-Match</c> on PUT). Bounded here in three ways: (1) updates of one tag are
/// serialised within the process (the common case: the fan-out steps of one workflow run derive from one subject);
/// (2) just before the PUT the tag is read again (HEAD) and, if it moved, the update starts over from the new index;
/// (3) after the PUT the tag is read again and, if the entry is not listed (a writer that read earlier overwrote it),
/// the update starts over; (4) that check is repeated once after <see cref="RegistryOptions.ReferrersSettleDelay"/>
/// (200 ms), which catches a writer in another process that read the index before our PUT (passing its own check (2))
/// and wrote it after our check (3). Each start-over merges into the newest index, so entries are only ever added. After
/// <see cref="MaxAttempts"/> a <see cref="ReferrersUpdateException"/> names the tag. What remains: another process whose
/// read-to-write takes longer than the settle delay (a stalled client) can still drop an entry, unseen — a registry with
/// the referrers API closes that, and so does pushing the artifact again (it is re-listed, never duplicated).
/// </remarks>
internal sealed partial class ReferrersFallback
{
    public const int MaxAttempts = 5;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly IRegistryClient _client;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _settleDelay;
    private readonly ILogger<ReferrersFallback> _logger;

    public ReferrersFallback(IRegistryClient client, IOptions<RegistryOptions> options, TimeProvider timeProvider, ILogger<ReferrersFallback> logger)
    {
        _client = client;
        _settleDelay = options.Value.ReferrersSettleDelay;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>The descriptors the fallback index of <paramref name="subject"/> lists; empty when there is none or it is not an index.</summary>
    public async Task<IReadOnlyList<Descriptor>> ReadAsync(ImageReference repository, Digest subject, CancellationToken cancellationToken)
    {
        var tag = repository.WithTag(ReferrersTag.For(subject));
        var (_, index) = await ReadIndexAsync(tag, strict: false, referrer: subject, cancellationToken).ConfigureAwait(false);
        return index?.Manifests ?? [];
    }

    /// <summary>Lists <paramref name="referrer"/> in the fallback index of <paramref name="subject"/>; returns the tag and the index's digest.</summary>
    public async Task<(ImageReference Tag, Digest IndexDigest)> AddAsync(ImageReference repository, Digest subject, Descriptor referrer, CancellationToken cancellationToken)
    {
        var tag = repository.WithTag(ReferrersTag.For(subject));
        var gate = _locks.GetOrAdd(tag.ToString(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                if (attempt > 1)
                {
                    // Jittered back-off so that two processes racing on one tag do not keep colliding.
                    var delay = TimeSpan.FromMilliseconds(Random.Shared.Next(20, 100) * attempt);
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }

                var (read, index) = await ReadIndexAsync(tag, strict: true, referrer.Digest, cancellationToken).ConfigureAwait(false);
                if (index is not null && index.Manifests.Any(d => d.Digest == referrer.Digest))
                {
                    return (tag, read!);
                }

                var updated = new ImageIndex
                {
                    MediaType = MediaTypes.OciIndex,
                    Manifests = [.. index?.Manifests ?? [], referrer],
                    Annotations = index?.Annotations,
                };
                var content = ManifestSerializer.Serialize(updated);
                var before = await _client.HeadManifestAsync(tag, cancellationToken).ConfigureAwait(false);
                if (before?.Digest != read)
                {
                    Log.TagMoved(_logger, tag.ToString(), attempt, "before the update");
                    continue;
                }

                var pushed = await _client.PutManifestAsync(tag, content, MediaTypes.OciIndex, cancellationToken).ConfigureAwait(false);
                if (await ListedAsync(tag, referrer.Digest, pushed, cancellationToken).ConfigureAwait(false) is { } listed
                    && (_settleDelay == TimeSpan.Zero
                        || await SettledAsync(tag, referrer.Digest, listed, cancellationToken).ConfigureAwait(false) is not null))
                {
                    Log.Updated(_logger, tag.ToString(), referrer.Digest.ToString(), updated.Manifests.Count);
                    return (tag, listed);
                }

                Log.TagMoved(_logger, tag.ToString(), attempt, "after the update, without this entry");
            }

            throw new ReferrersUpdateException(tag, referrer.Digest, $"the tag moved under every one of {MaxAttempts} attempts (other clients keep updating it)");
        }
        finally
        {
            gate.Release();
        }
    }

    // The digest of the index the tag holds now if it lists the referrer (our own PUT, or a later writer's that kept it), else null.
    private async Task<Digest?> ListedAsync(ImageReference tag, Digest referrer, Digest expected, CancellationToken cancellationToken)
    {
        var after = await _client.HeadManifestAsync(tag, cancellationToken).ConfigureAwait(false);
        if (after?.Digest == expected)
        {
            return expected;
        }

        var (now, current) = await ReadIndexAsync(tag, strict: true, referrer, cancellationToken).ConfigureAwait(false);
        return current is not null && current.Manifests.Any(d => d.Digest == referrer) ? now : null;
    }

    // The second look, after a writer that read before our PUT has had time to write.
    private async Task<Digest?> SettledAsync(ImageReference tag, Digest referrer, Digest listed, CancellationToken cancellationToken)
    {
        await Task.Delay(_settleDelay, _timeProvider, cancellationToken).ConfigureAwait(false);
        return await ListedAsync(tag, referrer, listed, cancellationToken).ConfigureAwait(false);
    }

    // The index a referrers tag holds now (read by HEAD then by digest: never a cached tag answer), or (null, null) when absent.
    private async Task<(Digest? Digest, ImageIndex? Index)> ReadIndexAsync(ImageReference tag, bool strict, Digest referrer, CancellationToken cancellationToken)
    {
        var head = await _client.HeadManifestAsync(tag, cancellationToken).ConfigureAwait(false);
        if (head is null)
        {
            return (null, null);
        }

        var document = await _client.GetManifestAsync(tag.WithDigest(head.Digest), cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return (null, null);
        }

        if (document.Index is null || document.MediaType != MediaTypes.OciIndex)
        {
            // Spec: a pusher SHOULD report a failure and skip the update; a reader SHOULD assume no referrers.
            if (strict)
            {
                throw new ReferrersUpdateException(tag, referrer, $"the tag holds a {document.MediaType}, not an OCI image index; something other than a referrers list uses it");
            }

            Log.NotAnIndex(_logger, tag.ToString(), document.MediaType);
            return (null, null);
        }

        return (document.Digest, document.Index);
    }

    private static partial class Log
    {
        [LoggerMessage(3021, LogLevel.Debug, "Referrers index {ImageRef} now lists {Digest} ({Count} referrers)")]
        public static partial void Updated(ILogger logger, string imageRef, string digest, int count);

        [LoggerMessage(3022, LogLevel.Warning, "Referrers index {ImageRef} moved {When} (attempt {Attempt}); reading it again")]
        public static partial void TagMoved(ILogger logger, string imageRef, int attempt, string when);

        [LoggerMessage(3023, LogLevel.Warning, "Referrers tag {ImageRef} holds a {MediaType}, not an image index: no referrers read from it")]
        public static partial void NotAnIndex(ILogger logger, string imageRef, string mediaType);
    }
}
