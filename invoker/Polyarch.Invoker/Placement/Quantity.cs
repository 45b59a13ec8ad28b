using System.Globalization;

namespace Polyarch.Invoker.Placement;

/// <summary>Kubernetes-style byte quantities: 512Mi, 2Gi, 1G, 1500000, 256M.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40),
        ("k", 1000L), ("K", 1000L), ("M", 1000_000L), ("G", 1000_000_000L), ("T", 1000_000_000_000L),
    ];

    public static bool TryParseBytes(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 32)
        {
            return false;
        }

        var value = text.Trim();
        long factor = 1;
        foreach (var (suffix, f) in Suffixes)
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                factor = f;
                value = value[..^suffix.Length];
                break;
            }
        }

        if (!decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number) || number <= 0)
        {
            return false;
        }

        // Compare before multiplying: 99999999999999999999Ti would overflow even a decimal.
        if (number > (decimal)(long.MaxValue / 2) / factor)
        {
            return false;
        }

        var total = number * factor;

        bytes = (long)Math.Ceiling(total);
        return true;
    }

    public static string Format(long bytes) =>
        bytes % (1L << 30) == 0 ? $"{bytes >> 30}Gi" : bytes % (1L << 20) == 0 ? $"{bytes >> 20}Mi" : $"{bytes}B";
}
