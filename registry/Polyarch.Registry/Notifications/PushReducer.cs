using Polyarch.Registry.Manifests;

namespace Polyarch.Registry.Notifications;

/// <summary>
/// Reduces a burst of registry events to the pushes that matter: which tag now points at which image.
/// One buildx push emits dozens of events (blobs, mounts, untagged children, attestations, the index —
/// sometimes twice, and the engine tags each child it re-pushes), so the rules are: only manifest
/// pushes that carry a tag; per (registry, repository, tag) an index beats an image manifest (the
/// children the engine pushes under the index's tag) and a later push beats an earlier one.
/// </summary>
public static class PushReducer
{
    /// <summary>The pushes of a burst, de-duplicated on (repository, tag, digest), oldest first.</summary>
    public static IReadOnlyList<ImagePush> Reduce(IEnumerable<RegistryEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return
        [
            .. events
                .Select((e, order) => (Event: e, Order: order))
                .Where(x => x.Event.Action == RegistryEvent.Push && x.Event.Tag is not null && x.Event.Digest is not null
                    && x.Event.Registry is not null
                    && (MediaTypes.IsIndex(x.Event.MediaType) || MediaTypes.IsImageManifest(x.Event.MediaType)))
                .GroupBy(x => (x.Event.Registry, x.Event.Repository, x.Event.Tag))
                .Select(group => group
                    .OrderBy(x => MediaTypes.IsIndex(x.Event.MediaType) ? 1 : 0)
                    .ThenBy(x => x.Event.Timestamp)
                    .ThenBy(x => x.Order)
                    .Last())
                .OrderBy(x => x.Event.Timestamp)
                .ThenBy(x => x.Order)
                .Select(x => new ImagePush(x.Event.Registry!, x.Event.Repository, x.Event.Tag!, x.Event.Digest!, x.Event.MediaType!)),
        ];
    }
}
