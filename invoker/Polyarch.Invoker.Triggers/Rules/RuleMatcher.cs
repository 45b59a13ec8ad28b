using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Rules;

/// <summary>Whether a rule applies to a push (repository and tag globs; a pattern with a registry host must match it too).</summary>
internal static class RuleMatcher
{
    /// <summary>Whether an image-push rule applies to an image push.</summary>
    public static bool Matches(RuleDefinition rule, ImagePush push) =>
        rule.Event == RuleDefinition.PushEvent && Matches(rule, push.Registry, push.Repository, push.Tag);

    /// <summary>
    /// Whether an artifact rule's repository and tag globs match an artifact push (its artifact type is compared once the
    /// manifest is read: <see cref="MatchesType"/>).
    /// </summary>
    public static bool Matches(RuleDefinition rule, ArtifactPush push) =>
        rule.Event == RuleDefinition.ArtifactEvent && Matches(rule, push.Registry, push.Repository, push.Tag);

    /// <summary>Whether an artifact rule's type is the artifact's (exact, case-insensitive as media types are).</summary>
    public static bool MatchesType(RuleDefinition rule, string? artifactType) =>
        artifactType is not null && string.Equals(rule.ArtifactType, artifactType, StringComparison.OrdinalIgnoreCase);

    private static bool Matches(RuleDefinition rule, string pushRegistry, string pushRepository, string pushTag)
    {
        if (rule.Repository is null)
        {
            return false;
        }

        var (registry, repository) = Split(rule.Repository);
        if (registry is not null && !string.Equals(registry, pushRegistry, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return Glob.IsMatch(repository, pushRepository) && Glob.IsMatch(rule.Tag, pushTag);
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
