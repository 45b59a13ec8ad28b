using System.Text.RegularExpressions;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>
/// Counts the requests a registry served, from its own access log. A marker request before and after the
/// measured work brackets it: the registry logs requests in the order it finishes them, so everything the
/// work sent sits between the two markers once the second one is logged.
/// </summary>
internal static partial class AccessLog
{
    public static async Task<IReadOnlyList<string>> MeasureAsync(RegistryInstance registry, Func<Task> work)
    {
        var start = await MarkAsync(registry);
        await work();
        var end = await MarkAsync(registry);
        var log = registry.Log;
        var from = IndexOf(log, start);
        var to = IndexOf(log, end);
        return [.. log.Skip(from + 1).Take(to - from - 1).Select(line => RequestLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["request"].Value)];
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

        return IndexOf(registry.Log, marker) >= 0
            ? marker
            : throw new InvalidOperationException($"The registry {registry.Address} never logged the marker request {marker}; is its access log on?");
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

    // Combined log format: 127.0.0.1 - - [date] "GET /v2/x/manifests/y HTTP/1.1" 200 123 "" "agent"
    [GeneratedRegex("\"(?<request>(?:GET|HEAD|PUT|POST|PATCH|DELETE) [^ ]+) HTTP/[0-9.]+\" (?<status>[0-9]{3})")]
    private static partial Regex RequestLine();
}
