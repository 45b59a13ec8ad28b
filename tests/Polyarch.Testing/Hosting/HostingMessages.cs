namespace Polyarch.Testing.Hosting;

/// <summary>The words both services must say for the same mistake (only the service's name differs).</summary>
public static class HostingMessages
{
    public const string AllowRemoteWithoutKey =
        "Service:AllowRemote=true needs Service:RequireApiKey=true (POLYARCH_Service__RequireApiKey=true): the REST API must not be open to the network.";

    public static string RemoteWithoutAllowRemote(string urls) =>
        $"--urls {urls} listens beyond 127.0.0.1. Listen on http://127.0.0.1:PORT, or set Service:AllowRemote=true (POLYARCH_Service__AllowRemote=true) together with Service:RequireApiKey=true.";

    public static string ShortApiKey(string service) =>
        $"Service:ApiKey is shorter than 16 characters. Use a random key (e.g. `openssl rand -hex 32`) or leave it unset to generate one into secrets/{service}-api.key.";

    public static string MissingApiKey(string service) =>
        $"This API needs 'Authorization: Bearer <API key>'; the key is in secrets/{service}-api.key in the state directory (or Service:ApiKey).";

    public static string BodyTooLarge(long limit) =>
        $"The request body is larger than {limit} bytes (Service:MaxRequestBodyBytes). Send a smaller body, or raise the limit with Service:MaxRequestBodyBytes (POLYARCH_Service__MaxRequestBodyBytes).";
}
