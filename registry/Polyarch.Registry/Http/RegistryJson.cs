using System.Text.Json.Serialization;

namespace Polyarch.Registry.Http;

// distribution's error body: {"errors":[{"code":"MANIFEST_UNKNOWN","message":"…","detail":…}]}.
internal sealed record RegistryErrorBody([property: JsonPropertyName("errors")] IReadOnlyList<RegistryError>? Errors);

internal sealed record RegistryError(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);

// The token endpoint's answer (docker token spec: "token", OAuth2 spelling "access_token").
internal sealed record TokenResponse(
    [property: JsonPropertyName("token")] string? Token,
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] int? ExpiresIn);

// GET /v2/<name>/tags/list.
internal sealed record TagList(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("tags")] IReadOnlyList<string>? Tags);

// GET /v2/_catalog.
internal sealed record RepositoryList([property: JsonPropertyName("repositories")] IReadOnlyList<string>? Repositories);

[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(RepositoryList))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TagList))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
