using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Polyarch.Registry.Platforms;

/// <summary>Strict parsing of "os/arch[/variant]" (containerd's platforms.Parse, without its guessing).</summary>
internal static partial class PlatformParser
{
    public static Platform Parse(string value) =>
        TryParse(value, out var platform, out var error) ? platform : throw new InvalidPlatformException(value, error);

    public static bool TryParse(string? value, [NotNullWhen(true)] out Platform? platform, [NotNullWhen(false)] out string? error)
    {
        platform = null;
        if (string.IsNullOrEmpty(value))
        {
            error = "it is empty";
            return false;
        }

        var parts = value.Split('/');
        if (parts.Length is < 2 or > 3)
        {
            error = $"it has {parts.Length} part(s) separated by '/', a platform has 2 or 3";
            return false;
        }

        foreach (var part in parts)
        {
            if (!PartPattern().IsMatch(part))
            {
                error = part.Length == 0
                    ? "one of its parts is empty"
                    : "each part may hold only letters, digits, '_', '.' and '-' (no spaces or shell characters)";
                return false;
            }
        }

        var os = parts[0].ToLowerInvariant();
        var architecture = parts[1].ToLowerInvariant();
        var variant = parts.Length == 3 ? parts[2].ToLowerInvariant() : null;
        platform = new Platform(os, architecture, variant).Normalize();
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex PartPattern();
}
