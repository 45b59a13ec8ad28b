using System.Net;

namespace Polyarch.Registry.Client;

/// <summary>The registry answered a request with an error status that is neither "not found" nor transient.</summary>
public sealed class RegistryRequestException : RegistryException
{
    public RegistryRequestException(HttpMethod method, Uri url, HttpStatusCode status, string? registryError, string? authenticationAdvice = null)
        : base(Describe(method, url, status, registryError, authenticationAdvice))
    {
        Url = url;
        StatusCode = status;
        RegistryError = registryError;
    }

    /// <summary>The URL of the failed request.</summary>
    public Uri Url { get; }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The registry's error codes and messages, when it sent any.</summary>
    public string? RegistryError { get; }

    private static string Describe(HttpMethod method, Uri url, HttpStatusCode status, string? registryError, string? authenticationAdvice)
    {
        var detail = string.IsNullOrEmpty(registryError) ? string.Empty : $": {registryError}";
        var advice = status switch
        {
            HttpStatusCode.Unauthorized when authenticationAdvice is not null => authenticationAdvice,
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                $"Log in (docker login {url.Authority}) or set Registry:Credentials:{url.Authority}:Username and Password.",
            HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity =>
                "The registry rejected what was sent; check the manifest's media type and that every blob it references is in the repository.",
            _ => "Check the registry's log for the reason.",
        };
        return $"{method} {url} failed with {(int)status} {status}{detail}. {advice}";
    }
}
