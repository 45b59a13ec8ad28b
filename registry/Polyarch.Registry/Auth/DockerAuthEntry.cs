using System.Text.Json.Serialization;

namespace Polyarch.Registry.Auth;

/// <summary>One entry of the Docker config file's "auths".</summary>
internal sealed record DockerAuthEntry(
    [property: JsonPropertyName("auth")] string? Auth,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("password")] string? Password,
    [property: JsonPropertyName("identitytoken")] string? IdentityToken);
