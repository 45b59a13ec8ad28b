using System.Security.Cryptography;
using System.Text;

namespace Polyarch.Invoker.State;

/// <summary>
/// A shared secret presented as "Authorization: Bearer &lt;secret&gt;": the configured value, else read from (or
/// generated into, mode 0600) a file. Compared in constant time; only its hash is kept.
/// </summary>
internal sealed class BearerSecret
{
    private const string Scheme = "Bearer ";
    private readonly byte[] _expectedHash;

    public BearerSecret(string? configured, string file)
    {
        var secret = string.IsNullOrWhiteSpace(configured) ? SecretFile.ReadOrCreate(file) : configured;
        _expectedHash = SHA256.HashData(Encoding.UTF8.GetBytes(secret.Trim()));
    }

    /// <summary>True when <paramref name="authorization"/> is "Bearer &lt;secret&gt;".</summary>
    public bool IsAuthorized(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Hashing first makes the comparison constant-time in the secret's length too.
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedHash);
    }
}
