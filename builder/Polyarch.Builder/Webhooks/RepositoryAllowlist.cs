using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Git;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Webhooks;

/// <summary>Maps repository URLs a webhook names to registry repositories; anything unlisted is refused.</summary>
internal sealed class RepositoryAllowlist
{
    private readonly IReadOnlyList<(Regex Pattern, string Repository)> _entries;

    public RepositoryAllowlist(IOptions<BuilderOptions> options)
    {
        _entries = [.. options.Value.Allowlist
            .Where(e => !string.IsNullOrWhiteSpace(e.UrlPattern) && !string.IsNullOrWhiteSpace(e.Repository))
            .Select(e => (ToRegex(e.UrlPattern), e.Repository))];
    }

    /// <summary>The registry repository for the first candidate URL an entry matches, or null.</summary>
    public (string Url, string Repository)? Match(IEnumerable<string?> candidateUrls)
    {
        foreach (var candidate in candidateUrls)
        {
            if (string.IsNullOrWhiteSpace(candidate) || SourceUrl.IsLocal(candidate.Trim()) || candidate.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
            {
                continue; // Webhooks never build local paths, whatever a pattern says.
            }

            var url = candidate.Trim().TrimEnd('/');
            foreach (var (pattern, repository) in _entries)
            {
                if (pattern.IsMatch(url))
                {
                    return (url, repository.Replace("{name}", SourceUrl.LastSegment(url).ToLowerInvariant(), StringComparison.Ordinal));
                }
            }
        }

        return null;
    }

    // '*' matches within one path segment, '**' across segments; everything else is literal.
    private static Regex ToRegex(string pattern)
    {
        var escaped = Regex.Escape(pattern.Trim().TrimEnd('/'))
            .Replace(@"\*\*", ".+", StringComparison.Ordinal)
            .Replace(@"\*", "[^/]+", StringComparison.Ordinal);
        return new Regex($"^{escaped}(?:\\.git)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
    }
}
