using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Fitness;

/// <summary>The REST API's key: configured, else read from or generated into Service:ApiKeyFile (default secrets/builder-api.key, 0600); compared in constant time.</summary>
internal sealed class BuilderApiKey
{
    private readonly byte[] _expectedHash;

    public BuilderApiKey(IOptions<BuilderServiceOptions> options, IOptions<BuilderOptions> builderOptions)
    {
        var key = options.Value.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            key = SecretFile.ReadOrCreate(options.Value.ApiKeyFile ?? Path.Combine(builderOptions.Value.StateDirectory, "secrets", "builder-api.key"));
        }

        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));
    }

    public bool IsAuthorized(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash);
    }
}
