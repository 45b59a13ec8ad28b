using Polyarch.Registry.References;

namespace Polyarch.Registry.Notifications;

/// <summary>One event of a distribution notification envelope, flattened to what consumers need.</summary>
/// <param name="Id">The event id (unique per event).</param>
/// <param name="Timestamp">When the registry saw the request.</param>
/// <param name="Action">push, pull, mount or delete.</param>
/// <param name="MediaType">The media type of the target (application/octet-stream for blobs).</param>
/// <param name="Digest">The target's digest, when the event has one.</param>
/// <param name="Size">The target's size in bytes.</param>
/// <param name="Repository">The repository, e.g. demo/echo.</param>
/// <param name="Tag">The tag the request named, if any.</param>
/// <param name="Url">The target's URL as the registry reports it.</param>
/// <param name="RequestHost">The Host header of the request that caused the event.</param>
/// <param name="RequestMethod">The HTTP method of that request.</param>
/// <param name="UserAgent">The client that made the request.</param>
public sealed record RegistryEvent(
    string Id,
    DateTimeOffset Timestamp,
    string Action,
    string? MediaType,
    Digest? Digest,
    long Size,
    string Repository,
    string? Tag,
    Uri? Url,
    string? RequestHost,
    string? RequestMethod,
    string? UserAgent)
{
    /// <summary>The action of a manifest or blob upload.</summary>
    public const string Push = "push";

    /// <summary>
    /// What the target refers to, when the registry sends it (distribution's <c>notifications.events.includereferences</c>):
    /// for an image manifest its config first, then its layers; for an index its manifests. Null when not sent.
    /// </summary>
    public IReadOnlyList<Manifests.Descriptor>? References { get; init; }

    /// <summary>
    /// The config's media type of a manifest push, from <see cref="References"/> (distribution lists the config first);
    /// null for other events or without references.
    /// </summary>
    public string? ConfigMediaType =>
        Manifests.MediaTypes.IsImageManifest(MediaType) && References is [var config, ..] ? config.MediaType : null;

    /// <summary>The registry the event is about: the request's Host, else the URL's authority.</summary>
    public string? Registry => RequestHost ?? Url?.Authority;
}
