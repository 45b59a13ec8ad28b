using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>
/// The referrers tag schema of distribution spec 1.1 ("Unavailable Referrers API"): the tag under which a registry
/// without the referrers API keeps an image index listing a subject's referrers.
/// </summary>
public static class ReferrersTag
{
    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    /// <summary>The tag for a subject: the algorithm (at most 32 characters), '-', the encoded digest (at most 64), e.g. <c>sha256-&lt;hex&gt;</c>.</summary>
    public static string For(Digest subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        // sha256/sha512 and lower-case hex are all valid tag characters: nothing to replace with '-'.
        return $"{Truncate(subject.Algorithm, 32)}-{Truncate(subject.Hex, 64)}";
    }

    /// <summary>True when a tag has the shape of a referrers tag (<c>sha256-</c> or <c>sha512-</c> and 64 hex).</summary>
    public static bool IsReferrersTag(string? tag) =>
        tag is { Length: 71 }
        && (tag.StartsWith("sha256-", StringComparison.Ordinal) || tag.StartsWith("sha512-", StringComparison.Ordinal))
        && !tag.AsSpan(7).ContainsAnyExcept(LowerHex);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
