using System.Globalization;

namespace Polyarch.Invoker.Kubernetes.Lifecycle;

/// <summary>
/// Log lines of a warm pod read with timestamps=true ("2026-11-26T19:30:01.123456789Z text", the kubelet's
/// RFC 3339 with nanoseconds), keeping only the lines after an earlier read's last timestamp: how one activation of a
/// reused pod gets its own lines and not those of the activations before it. <see cref="Last"/> is the newest
/// timestamp seen (the next activation's cut). OpenWhisk's end-of-activation sentinel lines are dropped; a runtime
/// that prints them (on stdout and stderr, so twice in the pod's merged log) ends the activation at the second one:
/// what follows it is the next activation's, and <see cref="Last"/> is that sentinel's timestamp.
/// </summary>
internal sealed record TimestampedLogs(IReadOnlyList<string> Lines, DateTimeOffset? Last, bool Truncated)
{
    /// <summary>What OpenWhisk action proxies print to stdout and stderr after each activation.</summary>
    public const string Sentinel = "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX";

    public static TimestampedLogs Parse(string text, DateTimeOffset? after, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = new List<string>();
        var last = after;
        var sentinels = 0;
        var raws = text.Split('\n');
        for (var i = 0; i < raws.Length; i++)
        {
            var line = raws[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var stamp = space > 0 ? ParseTimestamp(line.AsSpan(0, space)) : null;
            if (stamp is null)
            {
                // A bounded read may cut the last line inside its timestamp: drop that stump. Any other line without a
                // timestamp (a server that ignores timestamps=true) is kept as it is.
                if (!(truncated && i == raws.Length - 1))
                {
                    lines.Add(line);
                }

                continue;
            }

            if (after is not null && stamp <= after)
            {
                continue;
            }

            if (last is null || stamp > last)
            {
                last = stamp;
            }

            var content = line[(space + 1)..];
            if (content != Sentinel)
            {
                lines.Add(content);
            }
            else if (++sentinels == 2)
            {
                return new TimestampedLogs(lines, last, truncated);
            }
        }

        return new TimestampedLogs(lines, last, truncated);
    }

    /// <summary>RFC 3339 with up to 9 fractional digits (.NET keeps 7: the rest are cut, not rounded).</summary>
    public static DateTimeOffset? ParseTimestamp(ReadOnlySpan<char> text)
    {
        Span<char> buffer = stackalloc char[40];
        if (text.Length is < 20 or > 40)
        {
            return null;
        }

        var dot = text.IndexOf('.');
        var length = text.Length;
        text.CopyTo(buffer);
        if (dot > 0)
        {
            var end = dot + 1;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }

            if (end - dot - 1 > 7)
            {
                // Drop the 8th and 9th digits: copy the zone part over them.
                var zone = text[end..];
                zone.CopyTo(buffer[(dot + 8)..]);
                length = dot + 8 + zone.Length;
            }
        }

        return DateTimeOffset.TryParse(buffer[..length], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : null;
    }
}
