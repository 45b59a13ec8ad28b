using System.Security.Cryptography;
using System.Text;

namespace Polyarch.Builder.Webhooks;

/// <summary>Checks webhook signatures over the raw body, in constant time.</summary>
public static class WebhookSignature
{
    /// <summary>Verifies a provider's signature header against the raw body.</summary>
    public static bool Verify(GitProvider provider, string? header, ReadOnlySpan<byte> body, string secret)
    {
        if (string.IsNullOrEmpty(header) || string.IsNullOrEmpty(secret))
        {
            return false;
        }

        return provider switch
        {
            GitProvider.GitHub or GitProvider.PostReceive => header.StartsWith("sha256=", StringComparison.Ordinal) && VerifyHmac(header["sha256=".Length..], body, secret),
            GitProvider.Gitea => VerifyHmac(header, body, secret),
            GitProvider.GitLab => VerifyToken(header, secret),
            _ => false,
        };
    }

    /// <summary>The hex HMAC-SHA256 of <paramref name="body"/> (what a sender puts in the header).</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static bool VerifyHmac(string hex, ReadOnlySpan<byte> body, string secret)
    {
        // A truncated or non-hex signature is simply wrong; decoding it must not throw.
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hex));
    }

    // Hash both sides first so that the comparison time does not depend on the token's length either.
    private static bool VerifyToken(string token, string secret) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
