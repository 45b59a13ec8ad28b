using Microsoft.Extensions.Logging;

namespace Polyarch.Registry.Http;

/// <summary>The library's log events (stable ids 3000–3099). Never logs credentials or tokens.</summary>
internal static partial class RegistryLog
{
    [LoggerMessage(3000, LogLevel.Debug, "{Method} {Url} → {StatusCode}")]
    public static partial void Response(ILogger logger, HttpMethod method, Uri url, int statusCode);

    [LoggerMessage(3001, LogLevel.Warning, "Retrying {Method} {Url} in {RetryDelay} (attempt {Attempt}) after {Outcome}")]
    public static partial void Retrying(ILogger logger, HttpMethod? method, Uri? url, TimeSpan retryDelay, int attempt, string outcome);

    [LoggerMessage(3002, LogLevel.Debug, "Fetching a bearer token for {Registry} (scope {Scope}) from {Realm}")]
    public static partial void FetchingToken(ILogger logger, string registry, string scope, string realm);

    [LoggerMessage(3003, LogLevel.Debug, "Resolved {ImageRef} to {Digest} ({Source})")]
    public static partial void Resolved(ILogger logger, string imageRef, string digest, string source);

    [LoggerMessage(3004, LogLevel.Warning, "Index entry {Digest} of {ImageRef} says {IndexPlatform} but its config says {ConfigPlatform}")]
    public static partial void PlatformDisagrees(ILogger logger, string digest, string imageRef, string indexPlatform, string configPlatform);

    [LoggerMessage(3005, LogLevel.Warning, "Could not read the Docker config {Path}: {Reason}")]
    public static partial void DockerConfigUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(3006, LogLevel.Debug, "Asking {Helper} for the credentials of {Registry}")]
    public static partial void AskingCredentialHelper(ILogger logger, string helper, string registry);

    [LoggerMessage(3007, LogLevel.Debug, "Credentials for {Registry} come from {Source}")]
    public static partial void CredentialsFound(ILogger logger, string registry, string source);
}
