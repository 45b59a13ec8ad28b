using System.Security.Cryptography;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Polyarch.Registry.References;

/// <summary>A content digest such as sha256:… — a Digest that exists is well-formed.</summary>
[JsonConverter(typeof(DigestJsonConverter))]
public sealed partial record Digest
{
    /// <summary>The algorithm of the default digest.</summary>
    public const string Sha256 = "sha256";

    /// <summary>The longer algorithm the OCI spec also registers.</summary>
    public const string Sha512 = "sha512";

    private Digest(string algorithm, string hex)
    {
        Algorithm = algorithm;
        Hex = hex;
    }

    /// <summary>The algorithm: sha256 or sha512.</summary>
    public string Algorithm { get; }

    /// <summary>The lower-case hex encoding of the hash.</summary>
    public string Hex { get; }

    /// <summary>Parses "sha256:&lt;64 hex&gt;" or "sha512:&lt;128 hex&gt;" (lower case, as the OCI spec requires).</summary>
    public static Digest Parse(string value) =>
        TryParse(value, out var digest, out var error)
            ? digest
            : throw new InvalidReferenceException(value, error, "digest", "sha256:<64 lower-case hex>, e.g. the Docker-Content-Digest of a manifest");

    /// <summary>Parses a digest without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string? value,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Digest? digest,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        digest = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "the digest is empty";
            return false;
        }

        var match = DigestPattern().Match(value);
        if (!match.Success)
        {
            error = "a digest is 'sha256:' followed by 64 lower-case hex characters (or 'sha512:' and 128)";
            return false;
        }

        var algorithm = match.Groups["algorithm"].Value;
        var hex = match.Groups["hex"].Value;
        var expected = algorithm == Sha256 ? 64 : 128;
        if (hex.Length != expected)
        {
            error = $"a {algorithm} digest has {expected} hex characters, this one has {hex.Length}";
            return false;
        }

        digest = new Digest(algorithm, hex);
        error = null;
        return true;
    }

    /// <summary>The sha256 digest of some content.</summary>
    public static Digest Compute(ReadOnlySpan<byte> content) =>
        new(Sha256, Convert.ToHexStringLower(SHA256.HashData(content)));

    /// <summary>The digest of some content with the given algorithm (sha256 or sha512).</summary>
    public static Digest Compute(ReadOnlySpan<byte> content, string algorithm) => algorithm switch
    {
        Sha256 => Compute(content),
        Sha512 => new(Sha512, Convert.ToHexStringLower(SHA512.HashData(content))),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Only sha256 and sha512 are supported."),
    };

    /// <summary>True when the content hashes to this digest (with this digest's algorithm).</summary>
    public bool Matches(ReadOnlySpan<byte> content) => Compute(content, Algorithm) == this;

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm}:{Hex}";

    /// <summary>The first 12 hex characters, for tables and log lines.</summary>
    public string ShortHex => Hex[..12];

    [GeneratedRegex(@"^(?<algorithm>sha256|sha512):(?<hex>[a-f0-9]+)\z", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
