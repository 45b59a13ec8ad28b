using System.Text.Json.Serialization;

namespace Polyarch.Registry.Auth;

// The parts of ~/.docker/config.json the client reads (docker/cli cli/config/configfile/file.go):
// "auths" {"host": {"auth": base64(user:pass) | "username"/"password" | "identitytoken"}}, "credsStore": "NAME"
// (every registry through docker-credential-NAME) and "credHelpers" {"host": "NAME"} (one registry each).
internal sealed record DockerConfigFile(
    [property: JsonPropertyName("auths")] IReadOnlyDictionary<string, DockerAuthEntry>? Auths,
    [property: JsonPropertyName("credsStore")] string? CredsStore,
    [property: JsonPropertyName("credHelpers")] IReadOnlyDictionary<string, string>? CredHelpers);
