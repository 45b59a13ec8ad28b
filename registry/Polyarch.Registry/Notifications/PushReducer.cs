using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Manifests;

namespace Polyarch.Registry.Notifications;

/// <summary>
/// Reduces a burst of registry events to the pushes that matter: which tag now points at which image or artifact.
/// One buildx push emits dozens of events (blobs, mounts, untagged children, attestations, the index —
/// sometimes twice, and the engine tags each child it re-pushes), so the rules are: only manifest
/// pushes that carry a tag; per (registry, repository, tag) an index beats an image manifest (the
/// children the engine pushes under the index's tag) and a later push beats an earlier one. An image manifest whose
/// config (the first of the event's references) is not an image config is an artifact; the index a client writes under
/// a referrers tag (<c>sha256-&lt;hex&gt;</c>, the referrers tag schema) is bookkeeping, neither image nor artifact.
/// Without references (distribution's <c>includereferences</c> off) a manifest counts as an image, as it always did.
/// </summary>
public static class PushReducer
{
    /// <summary>The image pushes of a burst, de-duplicated on (repository, tag, digest), oldest first; artifacts are left out.</summary>
    public static IReadOnlyList<ImagePush> Reduce(IEnumerable<RegistryEvent> events) =>
    [
        .. Winners(events)
            .Where(e => !IsArtifact(e))
            .Select(e => new ImagePush(e.Registry!, e.Repository, e.Tag!, e.Digest!, e.MediaType!)),
    ];

    /// <summary>
    /// The artifact pushes of a burst, de-duplicated like <see cref="Reduce"/>, oldest first. Their artifactType is known
    /// only when the config names it; <see cref="IArtifactStore.DescribePushAsync"/> reads it and the subject.
    /// </summary>
    public static IReadOnlyList<ArtifactPush> ReduceArtifacts(IEnumerable<RegistryEvent> events) =>
    [
        .. Winners(events)
            .Where(IsArtifact)
            .Select(e => new ArtifactPush(e.Registry!, e.Repository, e.Tag!, e.Digest!, e.MediaType!, e.ConfigMediaType!)),
    ];

    private static bool IsArtifact(RegistryEvent e) => e.ConfigMediaType is { } config && !MediaTypes.IsImageConfig(config);

    private static List<RegistryEvent> Winners(IEnumerable<RegistryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return events
            .Select((e, order) => (Event: e, Order: order))
            .Where(x => x.Event.Action == RegistryEvent.Push && x.Event.Tag is not null && x.Event.Digest is not null
                && x.Event.Registry is not null
                && (MediaTypes.IsIndex(x.Event.MediaType) || MediaTypes.IsImageManifest(x.Event.MediaType))
                && !(MediaTypes.IsIndex(x.Event.MediaType) && ReferrersTag.IsReferrersTag(x.Event.Tag)))
            .GroupBy(x => (x.Event.Registry, x.Event.Repository, x.Event.Tag))
            .Select(group => group
                .OrderBy(x => MediaTypes.IsIndex(x.Event.MediaType) ? 1 : 0)
                .ThenBy(x => x.Event.Timestamp)
                .ThenBy(x => x.Order)
                .Last())
            .OrderBy(x => x.Event.Timestamp)
            .ThenBy(x => x.Order)
            .Select(x => x.Event)
            .ToList();
    }
}
