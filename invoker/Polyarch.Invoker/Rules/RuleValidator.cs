using System.Text.RegularExpressions;
using Polyarch.Invoker.Platforms;

namespace Polyarch.Invoker.Rules;

/// <summary>Checks a rule and reports every problem at once.</summary>
internal static partial class RuleValidator
{
    public static IReadOnlyList<string> Validate(RuleDefinition rule)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(rule.Name ?? string.Empty))
        {
            errors.Add($"Rule name '{rule.Name}' must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit).");
        }

        if (string.IsNullOrWhiteSpace(rule.Repository) || rule.Repository.Any(char.IsWhiteSpace) || rule.Repository.Contains(':', StringComparison.Ordinal) && !rule.Repository.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"Repository pattern '{rule.Repository}' must be a repository or glob such as demo/echo, demo/* or 127.0.0.1:5000/demo/echo.");
        }

        if (string.IsNullOrWhiteSpace(rule.Tag) || rule.Tag.Any(char.IsWhiteSpace) || rule.Tag.Contains('/', StringComparison.Ordinal))
        {
            errors.Add($"Tag pattern '{rule.Tag}' must be a tag or glob such as latest, v* or * (no '/', no spaces).");
        }

        if (rule.Action is { } action && string.IsNullOrWhiteSpace(action))
        {
            errors.Add("Action must name an action (or be left out to run the pushed image itself).");
        }

        if (rule.Platforms is null || rule.Platforms.Count == 0)
        {
            errors.Add("Platforms must be \"all\", \"native\" or a list such as [\"linux/amd64\", \"linux/arm64\"].");
        }
        else if (rule.Platforms.Count > 1 || rule.Platforms[0] is not (RuleDefinition.AllPlatforms or RuleDefinition.NativePlatforms))
        {
            foreach (var platform in rule.Platforms)
            {
                if (platform is RuleDefinition.AllPlatforms or RuleDefinition.NativePlatforms)
                {
                    errors.Add($"Platforms: '{platform}' must be the only value (not mixed with a list).");
                }
                else if (!PlatformName.TryNormalize(platform, out _))
                {
                    errors.Add($"Platform '{platform}' is not os/arch[/variant], e.g. linux/arm64.");
                }
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();
}
