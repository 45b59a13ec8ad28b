using System.Text.RegularExpressions;
using Polyarch.Testing;

namespace Polyarch.Registry.Benchmarks;

/// <summary>
/// Counts what a piece of work asked the registry, from the registry's own access log, bracketed by two
/// marker requests (the registry logs requests in the order it finishes them).
/// </summary>
internal static partial class RequestCounter
{
    public static async Task<IReadOnlyList<string>> MeasureAsync(RegistryInstance registry, Func<Task> work)
    {
        var start = await MarkAsync(registry);
        await work();
        var end = await MarkAsync(registry);
        var log = registry.Log;
        var from = IndexOf(log, start);
        var to = IndexOf(log, end);
        return [.. log.Skip(from + 1).Take(to - from - 1).Select(l => RequestLine().Match(l)).Where(m => m.Success)
            .Select(m => $"{m.Groups["request"].Value} → {m.Groups["status"].Value}")];
    }

    private static async Task<string> MarkAsync(RegistryInstance registry)
    {
        var marker = Guid.NewGuid().ToString("N");
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(registry.BaseUri, $"v2/?marker={marker}"));
        for (var attempt = 0; attempt < 200 && IndexOf(registry.Log, marker) < 0; attempt++)
        {
            await Task.Delay(25);
        }

        return marker;
    }

    private static int IndexOf(IReadOnlyList<string> log, string marker)
    {
        for (var i = 0; i < log.Count; i++)
        {
            if (log[i].Contains(marker, StringComparison.Ordinal) && RequestLine().IsMatch(log[i]))
            {
                return i;
            }
        }

        return -1;
    }

    [GeneratedRegex("\"(?<request>(?:GET|HEAD|PUT|POST|PATCH|DELETE) [^ ?]+)[^ ]* HTTP/[0-9.]+\" (?<status>[0-9]{3})")]
    private static partial Regex RequestLine();
}
