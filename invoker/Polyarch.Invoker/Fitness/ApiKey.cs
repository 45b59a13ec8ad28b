using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Fitness;

/// <summary>The REST API's key (separate from the registry webhook's token): configured, else read from or generated into secrets/invoker-api.key (0600).</summary>
internal sealed class ApiKey
{
    private readonly byte[] _expectedHash;

    public ApiKey(IOptions<ServiceOptions> options, IOptions<InvokerOptions> invokerOptions)
    {
        var key = options.Value.ApiKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            var file = options.Value.ApiKeyFile
                ?? Path.Combine(StateDirectory.Resolve(invokerOptions.Value.StateDirectory), "secrets", "invoker-api.key");
            key = SecretFile.ReadOrCreate(file);
        }

        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(key.Trim()));
    }

    /// <summary>True when the Authorization header is "Bearer &lt;key&gt;" (constant-time).</summary>
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
