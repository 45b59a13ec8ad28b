using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Rules;

/// <summary>Whether a rule applies to a push (repository and tag globs; a pattern with a registry host must match it too).</summary>
internal static class RuleMatcher
{
    public static bool Matches(RuleDefinition rule, ImagePush push)
    {
        var (registry, repository) = Split(rule.Repository);
        if (registry is not null && !string.Equals(registry, push.Registry, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Glob.IsMatch(repository, push.Repository) && Glob.IsMatch(rule.Tag, push.Tag);
    }

    /// <summary>Splits "host[:port]/repo" into the registry and the repository pattern (the registry is null when absent).</summary>
    public static (string? Registry, string Repository) Split(string pattern)
    {
        var slash = pattern.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0)
        {
            var first = pattern[..slash];
            // Docker's rule: the first component is a registry when it has a '.' or ':' or is localhost.
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                return (first, pattern[(slash + 1)..]);
            }
        }

        return (null, pattern);
    }
}
