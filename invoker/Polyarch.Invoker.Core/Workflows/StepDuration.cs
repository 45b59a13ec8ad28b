using System.Globalization;
using System.Text.RegularExpressions;

namespace Polyarch.Invoker.Workflows;

/// <summary>A step's timeout: a number with the unit ms, s, m or h (<c>500ms</c>, <c>30s</c>, <c>10m</c>, <c>1h</c>).</summary>
internal static partial class StepDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var match = text is null ? Match.Empty : Pattern().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        duration = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(value),
            "s" => TimeSpan.FromSeconds(value),
            "m" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromHours(value),
        };
        return duration > TimeSpan.Zero && duration <= TimeSpan.FromDays(1);
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(ms|s|m|h)$")]
    private static partial Regex Pattern();
}
