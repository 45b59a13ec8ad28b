using System.Text.Json.Serialization;

namespace Polyarch.Registry.Auth;

// The part of ~/.docker/config.json the client reads: "auths": {"host": {"auth": base64(user:pass)}}.
internal sealed record DockerConfigFile([property: JsonPropertyName("auths")] IReadOnlyDictionary<string, DockerAuthEntry>? Auths);

internal sealed record DockerAuthEntry(
    [property: JsonPropertyName("auth")] string? Auth,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password);

[JsonSerializable(typeof(DockerConfigFile))]
internal sealed partial class DockerConfigJsonContext : JsonSerializerContext;
