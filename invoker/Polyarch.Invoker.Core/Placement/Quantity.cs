using System.Globalization;

namespace Polyarch.Invoker.Placement;

/// <summary>
/// Kubernetes resource quantities (k8s.io/apimachinery resource.Quantity): a decimal number with a binary suffix
/// (Ki Mi Gi Ti Pi Ei), a decimal suffix (n u m k M G T P E) or an exponent (e3, E-2) — <c>512Mi</c>, <c>1G</c>,
/// <c>0.5</c>, <c>500m</c>, <c>1e9</c>. The one parser both backends use for io.polyarch.requires.* labels.
/// </summary>
internal static class Quantity
{
    private const int MaxLength = 32;

    // Checked longest first: "Mi" before "M"; "m" (milli) is not "M" (mega).
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("n", 0.000_000_001m), ("u", 0.000_001m), ("m", 0.001m),
        ("k", 1_000m), ("M", 1_000_000m), ("G", 1_000_000_000m), ("T", 1_000_000_000_000m), ("P", 1_000_000_000_000_000m), ("E", 1_000_000_000_000_000_000m),
    ];

    /// <summary>Parses a positive quantity; false for anything Kubernetes would refuse, zero, negative or absurdly large.</summary>
    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return false;
        }

        var s = text.Trim();
        var number = s;
        decimal factor = 1;
        var exponent = s.IndexOfAny(['e', 'E']);
        if (exponent > 0 && exponent < s.Length - 1)
        {
            // A decimal exponent ("1e9"); "E" alone at the end is the exa suffix.
            if (!int.TryParse(s.AsSpan(exponent + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var power) || power is < -9 or > 18)
            {
                return false;
            }

            number = s[..exponent];
            factor = Pow10(power);
        }
        else
        {
            foreach (var (suffix, f) in Suffixes)
            {
                if (s.EndsWith(suffix, StringComparison.Ordinal))
                {
                    number = s[..^suffix.Length];
                    factor = f;
                    break;
                }
            }
        }

        if (number.Length == 0 || !number.All(c => char.IsAsciiDigit(c) || c == '.')
            || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        // Compare before multiplying: 99999999999999999999Ti would overflow even a decimal.
        if (n > (decimal)(long.MaxValue / 2) / factor)
        {
            return false;
        }

        value = n * factor;
        return true;
    }

    /// <summary>A byte count (rounded up, as Kubernetes does for memory).</summary>
    public static bool TryParseBytes(string? text, out long bytes)
    {
        bytes = 0;
        if (!TryParse(text, out var value))
        {
            return false;
        }

        bytes = (long)Math.Ceiling(value);
        return true;
    }

    /// <summary>Bytes as a Kubernetes quantity: "2Gi", "512Mi", else the plain number.</summary>
    public static string Format(long bytes) =>
        bytes != 0 && bytes % (1L << 30) == 0 ? $"{bytes >> 30}Gi"
        : bytes != 0 && bytes % (1L << 20) == 0 ? $"{bytes >> 20}Mi"
        : bytes.ToString(CultureInfo.InvariantCulture);

    /// <summary>Millicores as a Kubernetes quantity: "2" or "500m".</summary>
    public static string FormatMilliCpu(long milli) =>
        milli % 1000 == 0 ? (milli / 1000).ToString(CultureInfo.InvariantCulture) : $"{milli.ToString(CultureInfo.InvariantCulture)}m";

    private static decimal Pow10(int power)
    {
        decimal result = 1;
        for (var i = 0; i < Math.Abs(power); i++)
        {
            result = power > 0 ? result * 10 : result / 10;
        }

        return result;
    }
}
