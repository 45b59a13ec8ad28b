using System.Text.Json.Serialization;

namespace Polyarch.Registry.Auth;

// What `docker-credential-NAME get` prints (docker/docker-credential-helpers credentials.Credentials).
internal sealed record CredentialHelperAnswer(
    [property: JsonPropertyName("ServerURL")] string? ServerUrl,
    [property: JsonPropertyName("Username")] string? Username,
    [property: JsonPropertyName("Secret")] string? Secret);
