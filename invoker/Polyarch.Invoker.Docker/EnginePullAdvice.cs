namespace Polyarch.Invoker.DockerEngine;

/// <summary>What to do about an engine pull that failed, from the engine's (Go) error text.</summary>
internal static class EnginePullAdvice
{
    private const string ProfileCommand = "polyarch-builder registry profile";

    public static string For(string registry, string error, bool sentCredentials) => error switch
    {
        _ when error.Contains("server gave HTTP response to HTTPS client", StringComparison.Ordinal) =>
            $"The registry {registry} speaks plain HTTP and the engine expects HTTPS: declare it insecure for the engine (and every other consumer) with `{ProfileCommand} {registry} --insecure --apply`.",
        _ when error.Contains("certificate signed by unknown authority", StringComparison.Ordinal)
            || error.Contains("failed to verify certificate", StringComparison.Ordinal) =>
            $"The engine does not trust the TLS certificate of {registry}: install its CA for the engine (certs.d) and every other consumer with `{ProfileCommand} {registry} --ca FILE --apply`.",
        _ when error.Contains("no basic auth credentials", StringComparison.OrdinalIgnoreCase)
            || error.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
            || error.Contains("authentication required", StringComparison.OrdinalIgnoreCase) => sentCredentials
            ? $"The registry {registry} rejected the credentials the invoker sent (Registry:Credentials or the Docker config of the invoker's user): log in again with `docker login {registry}`."
            : $"The registry {registry} needs credentials and none were found for it (Registry:Credentials, the Docker config's credHelpers, credsStore and auths): run `docker login {registry}` as the invoker's user.",
        _ => "Check that the registry is up and the engine trusts it (insecure-registries for plain HTTP hosts other than localhost).",
    };
}
