namespace Polyarch.Builder.Records;

/// <summary>A build's per-platform logs as one text, each under a header (REST <c>/log</c>, <c>builds logs</c>).</summary>
internal static class BuildLogText
{
    public static string Format(IReadOnlyDictionary<string, string> logs, string? platform) =>
        string.Concat(logs.Where(l => platform is null || l.Key == platform)
            .Select(l => $"===== {(l.Key.Length == 0 ? "export and push" : l.Key)} =====\n{l.Value}\n"));
}
