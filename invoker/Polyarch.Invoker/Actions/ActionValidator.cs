using System.Text.RegularExpressions;

namespace Polyarch.Invoker.Actions;

/// <summary>Checks an action definition and reports every problem at once.</summary>
internal static partial class ActionValidator
{
    public const int MinMemoryMb = 16;
    public const int MaxMemoryMb = 65_536;
    public const int MinTimeoutMs = 100;
    public const int MaxTimeoutMs = 300_000;

    public static IReadOnlyList<string> Validate(ActionDefinition action)
    {
        var errors = new List<string>();
        if (!NamePattern().IsMatch(action.Name ?? ""))
        {
            errors.Add($"Action name '{action.Name}' is invalid: use 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        if (string.IsNullOrWhiteSpace(action.Image) || action.Image.Any(char.IsWhiteSpace))
        {
            errors.Add($"Image '{action.Image}' is not an image reference such as 127.0.0.1:5000/demo/echo:latest.");
        }

        if (action.MemoryMb is < MinMemoryMb or > MaxMemoryMb)
        {
            errors.Add($"Memory {action.MemoryMb} MiB is out of range: use {MinMemoryMb}-{MaxMemoryMb} MiB.");
        }

        if (action.TimeoutMs is < MinTimeoutMs or > MaxTimeoutMs)
        {
            errors.Add($"Timeout {action.TimeoutMs} ms is out of range: use {MinTimeoutMs}-{MaxTimeoutMs} ms.");
        }

        if (double.IsNaN(action.Cpus) || action.Cpus is < 0.01 or > 256)
        {
            errors.Add($"CPUs {action.Cpus} is out of range: use 0.01-256.");
        }

        if (action.Gpus is < 0 or > 64)
        {
            errors.Add($"GPUs {action.Gpus} is out of range: use 0-64.");
        }

        if (action.Prewarm is < 0 or > 16)
        {
            errors.Add($"Prewarm {action.Prewarm} is out of range: use 0-16.");
        }

        foreach (var platform in action.Placement.Preferred.Concat(action.Placement.Required))
        {
            if (!Platforms.PlatformName.TryNormalize(platform, out _))
            {
                errors.Add($"Platform '{platform}' is not os/arch[/variant], e.g. linux/arm64.");
            }
        }

        foreach (var key in action.Environment.Keys)
        {
            if (!EnvPattern().IsMatch(key) || key.StartsWith("__OW_", StringComparison.Ordinal))
            {
                errors.Add($"Environment variable name '{key}' is invalid or reserved: use letters, digits and '_' and do not start with __OW_.");
            }
        }

        return errors;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,255}$")]
    private static partial Regex EnvPattern();
}
