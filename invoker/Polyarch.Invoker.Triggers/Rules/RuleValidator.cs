using System.Text.RegularExpressions;
using Polyarch.Invoker.Platforms;
using Polyarch.Registry.References;

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

        if (rule.Schedule is not null)
        {
            ValidateSchedule(rule, errors);
        }
        else if (rule.Repository is null)
        {
            errors.Add("Repository (--repository) is required: a repository or glob such as demo/echo, demo/* or 127.0.0.1:5000/demo/echo whose pushes fire the rule (or --schedule for a rule that fires on a clock).");
        }
        else if (string.IsNullOrWhiteSpace(rule.Repository) || rule.Repository.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            errors.Add($"Repository pattern '{Printable(rule.Repository)}' must be a repository or glob such as demo/echo, demo/* or 127.0.0.1:5000/demo/echo.");
        }
        else if (RepositoryProblem(rule.Repository) is { } problem)
        {
            errors.Add($"Repository pattern '{Printable(rule.Repository)}' can never match a repository: {problem}. Use a repository or glob such as demo/echo, demo/* or 127.0.0.1:5000/demo/echo.");
        }

        if (string.IsNullOrWhiteSpace(rule.Tag) || rule.Tag.Contains('/', StringComparison.Ordinal)
            || !ImageReference.TryParse("localhost/probe:" + Probe(rule.Tag), out _, out _))
        {
            errors.Add($"Tag pattern '{Printable(rule.Tag)}' can never match a tag: use a tag or glob such as latest, v* or * (tags are at most 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'; no '/', no spaces).");
        }

        if (rule.TimeZone is not null && rule.Schedule is null)
        {
            errors.Add("Time zone (--time-zone) applies to a schedule: give --schedule too, or leave --time-zone out.");
        }

        if (rule.Action is { } action && string.IsNullOrWhiteSpace(action))
        {
            errors.Add("Action must name an action (or be left out to run the pushed image itself).");
        }

        if (rule.Workflow is { } workflow && !NamePattern().IsMatch(workflow))
        {
            errors.Add($"Workflow (--workflow) '{Printable(workflow)}' must be a workflow name: 1-64 letters, digits, '.', '_' or '-'.");
        }

        if (rule.Action is not null && rule.Workflow is not null)
        {
            errors.Add("Action (--action) and workflow (--workflow) exclude each other: a rule runs an action or starts a workflow; give one.");
        }

        if (rule.ArtifactType is { } artifactType && !MediaTypePattern().IsMatch(artifactType))
        {
            errors.Add($"Artifact type (--artifact-type) '{Printable(artifactType)}' must be a media type such as application/vnd.polyarch.dataset.v1 (type/subtype, no spaces or parameters).");
        }

        if (rule.Action is null && rule.Workflow is null && rule.Event != RuleDefinition.PushEvent)
        {
            errors.Add(rule.Event == RuleDefinition.ScheduleEvent
                ? "A scheduled rule (--schedule) has no pushed image to run: give --action ACTION or --workflow WORKFLOW."
                : "An artifact rule (--artifact-type) has no image to run (an artifact is data): give --action ACTION or --workflow WORKFLOW.");
        }

        if (rule.Workflow is not null && rule.Platforms is not [RuleDefinition.AllPlatforms])
        {
            errors.Add("Platforms (--platforms) apply to an action; a workflow's steps say where they run: leave --platforms out with --workflow.");
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
                else if (!PlatformName.TryNormalize(platform, out _, out var platformError))
                {
                    errors.Add(platformError);
                }
            }
        }

        return errors;
    }

    private static void ValidateSchedule(RuleDefinition rule, List<string> errors)
    {
        if (rule.Repository is not null)
        {
            errors.Add($"Repository (--repository) '{Printable(rule.Repository)}' and schedule (--schedule) exclude each other: a scheduled rule fires on a clock, not on a push; leave --repository out (or --schedule, to fire on pushes).");
        }

        if (rule.Tag != "*")
        {
            errors.Add("Tag (--tag) applies to pushes: a scheduled rule (--schedule) has no tag; leave --tag out.");
        }

        if (rule.ArtifactType is not null)
        {
            errors.Add("Artifact type (--artifact-type) and schedule (--schedule) exclude each other: a rule fires on artifact pushes or on a clock; give one.");
        }

        if (!RuleSchedule.TryParse(rule.Schedule!, rule.TimeZone, out _, out var error))
        {
            errors.Add(error!);
        }
    }

    /// <summary>
    /// Why a repository glob can match no repository the distribution grammar allows, or null: the registry host (if
    /// any) must be host[:port] without wildcards, and each path component, with its wildcards standing for a letter,
    /// must be a valid component (lower case, letters and digits joined by '.', '_', '__' or '-').
    /// </summary>
    private static string? RepositoryProblem(string pattern)
    {
        var (host, path) = RuleMatcher.Split(pattern);
        if (host is not null && !ImageReference.TryParse(host + "/probe:probe", out _, out _))
        {
            return $"the registry '{Printable(host)}' is not a host name or address with an optional :port (no wildcards)";
        }

        foreach (var component in path.Split('/'))
        {
            if (component == "**")
            {
                continue;
            }

            if (component.Length == 0)
            {
                return "the path has an empty component ('//' or a leading or trailing '/')";
            }

            if (!ImageReference.TryParse("localhost/" + Probe(component) + ":probe", out _, out _))
            {
                return $"the component '{Printable(component)}' is not lower-case letters and digits separated by single '.', '_', '__' or runs of '-' (wildcards: * and ? within a component, ** across)";
            }
        }

        return null;
    }

    // A wildcard stands for a letter, the most permissive character a component or tag can hold anywhere.
    private static string Probe(string glob) => glob.Replace("**", "a", StringComparison.Ordinal).Replace('*', 'a').Replace('?', 'a');

    private static string Printable(string? input) =>
        new([.. (input ?? "").Take(300).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]
    private static partial Regex NamePattern();

    // RFC 6838 restricted names: type/subtype of letters, digits and !#$&^_.+- (what OCI's artifactType holds).
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")]
    private static partial Regex MediaTypePattern();
}
