using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Triggers;

/// <summary>The registry webhook's bearer token: configured, else read from (or generated into, mode 0600) the state directory.</summary>
internal sealed class WebhookToken
{
    private readonly byte[] _expectedHash;

    public WebhookToken(IOptions<TriggerOptions> options, IOptions<InvokerOptions> invokerOptions)
    {
        var token = options.Value.WebhookToken;
        if (string.IsNullOrWhiteSpace(token))
        {
            var file = options.Value.WebhookTokenFile
                ?? Path.Combine(StateDirectory.Resolve(invokerOptions.Value.StateDirectory), "secrets", "registry-webhook.token");
            token = SecretFile.ReadOrCreate(file);
        }

        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(token.Trim()));
    }

    /// <summary>Always true once constructed (the token was configured, read or generated).</summary>
    public bool IsConfigured => _expectedHash.Length > 0;

    /// <summary>True when the Authorization header is "Bearer &lt;token&gt;" (compared in constant time).</summary>
    public bool IsAuthorized(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the token's length too.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash);
    }
}
