using System.Text.Json;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Notifications;

/// <summary>Parses the event envelopes a distribution registry posts to its notification endpoints.</summary>
public static class RegistryNotificationParser
{
    /// <summary>The envelope media type of distribution 2.x.</summary>
    public const string V1MediaType = "application/vnd.docker.distribution.events.v1+json";

    /// <summary>The envelope media type of distribution 3.x.</summary>
    public const string V2MediaType = "application/vnd.docker.distribution.events.v2+json";

    /// <summary>The events of one envelope; <paramref name="mediaType"/> is the request's Content-Type, if known.</summary>
    public static IReadOnlyList<RegistryEvent> Parse(string json, string? mediaType)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bare = mediaType?.Split(';')[0].Trim();
        if (!string.IsNullOrEmpty(bare) && bare is not (V1MediaType or V2MediaType or "application/json"))
        {
            throw new InvalidNotificationException($"the media type is '{bare}'");
        }

        EventEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize(json, NotificationJsonContext.Default.EventEnvelope);
        }
        catch (JsonException exception)
        {
            throw new InvalidNotificationException(exception.Message, exception);
        }

        if (envelope?.Events is null)
        {
            throw new InvalidNotificationException("it has no 'events' array");
        }

        return [.. envelope.Events.Select(ToEvent)];
    }

    private static Manifests.Descriptor? ToDescriptor(WireReference reference) =>
        reference.MediaType is { Length: > 0 } mediaType && Digest.TryParse(reference.Digest, out var digest, out _)
            ? new Manifests.Descriptor { MediaType = mediaType, Digest = digest, Size = reference.Size, Annotations = reference.Annotations }
            : null;

    private static RegistryEvent ToEvent(WireEvent wire, int index)
    {
        var target = wire.Target ?? throw new InvalidNotificationException($"event {index} has no target");
        if (string.IsNullOrEmpty(wire.Action) || string.IsNullOrEmpty(target.Repository))
        {
            throw new InvalidNotificationException($"event {index} has no action or repository");
        }

        Digest? digest = null;
        if (target.Digest is not null && !Digest.TryParse(target.Digest, out digest, out var error))
        {
            throw new InvalidNotificationException($"event {index} has an invalid digest ({error})");
        }

        Uri.TryCreate(target.Url, UriKind.Absolute, out var url);
        return new RegistryEvent(
            wire.Id ?? string.Empty,
            wire.Timestamp,
            wire.Action,
            target.MediaType,
            digest,
            target.Size,
            target.Repository,
            string.IsNullOrEmpty(target.Tag) ? null : target.Tag,
            url,
            wire.Request?.Host,
            wire.Request?.Method,
            wire.Request?.UserAgent)
        {
            References = target.References is null ? null : [.. target.References.Select(ToDescriptor).OfType<Manifests.Descriptor>()],
        };
    }
}
