using System.Text.Json.Serialization;

namespace Polyarch.Registry.Notifications;

// The wire shape of distribution's notifications.Envelope (v1 in 2.x, v2 in 3.x: the same fields here).
internal sealed record EventEnvelope([property: JsonPropertyName("events")] IReadOnlyList<WireEvent>? Events);

internal sealed record WireEvent(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("target")] WireTarget? Target,
    [property: JsonPropertyName("request")] WireRequest? Request);

internal sealed record WireTarget(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("repository")] string? Repository,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("references")] IReadOnlyList<WireReference>? References = null);

// One entry of target.references (includereferences): read leniently, an unreadable entry is dropped, not the envelope.
internal sealed record WireReference(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("annotations")] IReadOnlyDictionary<string, string>? Annotations);

internal sealed record WireRequest(
    [property: JsonPropertyName("host")] string? Host,
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("useragent")] string? UserAgent);

[JsonSerializable(typeof(EventEnvelope))]
internal sealed partial class NotificationJsonContext : JsonSerializerContext;
