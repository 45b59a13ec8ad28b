using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Polyarch.Builder.Buildx;

/// <summary>Folds BuildKit solve statuses (rawjson) into per-platform progress, logs and the failing step.</summary>
internal sealed partial class BuildProgressTracker
{
    private const int MaxLogCharsPerVertex = 256 * 1024;
    private readonly Dictionary<string, VertexState> _vertices = new(StringComparer.Ordinal);
    private readonly List<string> _orphanLines = [];
    private readonly Lock _gate = new();

    /// <summary>Applies one rawjson object; returns the platforms whose progress changed.</summary>
    public IReadOnlyList<string> Apply(JsonElement status)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            if (status.TryGetProperty("vertexes", out var vertexes) && vertexes.ValueKind == JsonValueKind.Array)
            {
                foreach (var vertex in vertexes.EnumerateArray())
                {
                    ApplyVertex(vertex, changed);
                }
            }

            if (status.TryGetProperty("logs", out var logs) && logs.ValueKind == JsonValueKind.Array)
            {
                foreach (var log in logs.EnumerateArray())
                {
                    ApplyLog(log);
                }
            }
        }

        return [.. changed];
    }

    /// <summary>Records a plain (non-JSON) stderr line, e.g. buildx's final ERROR line.</summary>
    public void AddText(string line)
    {
        lock (_gate)
        {
            if (_orphanLines.Count < 1000)
            {
                _orphanLines.Add(line);
            }
        }
    }

    public IReadOnlyList<PlatformProgress> Snapshot()
    {
        lock (_gate)
        {
            return [.. _vertices.Values.Where(v => v.Platform is not null).GroupBy(v => v.Platform!).OrderBy(g => g.Key, StringComparer.Ordinal).Select(ToProgress)];
        }
    }

    public PlatformProgress? Snapshot(string platform) => Snapshot().FirstOrDefault(p => p.Platform == platform);

    /// <summary>Each platform's step names and output (key "" holds steps of no platform: export, push).</summary>
    public IReadOnlyDictionary<string, string> Logs()
    {
        lock (_gate)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var group in _vertices.Values.Where(v => v.Started is not null).OrderBy(v => v.Started).GroupBy(v => v.Platform ?? ""))
            {
                var text = new StringBuilder();
                foreach (var vertex in group)
                {
                    text.Append("#### ").Append(vertex.Name).Append(vertex.Cached ? " (cached)" : "").Append('\n').Append(vertex.Log);
                    if (vertex.Error is not null)
                    {
                        text.Append("ERROR: ").Append(vertex.Error).Append('\n');
                    }
                }

                if (group.Key.Length == 0 && _orphanLines.Count > 0)
                {
                    text.AppendJoin('\n', _orphanLines).Append('\n');
                }

                result[group.Key] = text.ToString();
            }

            if (!result.ContainsKey("") && _orphanLines.Count > 0)
            {
                result[""] = string.Join('\n', _orphanLines) + "\n";
            }

            return result;
        }
    }

    /// <summary>The failing step: the first error that is not a cancellation caused by another failure.</summary>
    public BuildFailure? Failure()
    {
        lock (_gate)
        {
            // A missing cache is not fatal (BuildKit builds without it), and "context canceled" steps are
            // the other platforms stopped because of the real failure: prefer a platform step's own error.
            var failed = _vertices.Values
                .Where(v => v.Error is not null && !IsCacheImport(v.Name))
                .OrderBy(v => v.Platform is null)
                .ThenBy(v => v.Completed ?? DateTimeOffset.MaxValue)
                .ToList();
            var vertex = failed.FirstOrDefault(v => !v.Error!.Contains("context canceled", StringComparison.Ordinal)) ?? failed.FirstOrDefault();
            if (vertex is null)
            {
                var error = _orphanLines.LastOrDefault(l => l.StartsWith("ERROR", StringComparison.Ordinal));
                return error is null ? null : new BuildFailure(null, "buildx", error, string.Join('\n', _orphanLines.TakeLast(20)));
            }

            var tail = string.Join('\n', vertex.Log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(20));
            return new BuildFailure(vertex.Platform, vertex.Name, vertex.Error!, tail);
        }
    }

    /// <summary>"importing cache manifest from …", also as bake names it for one of several targets ("[api] importing …").</summary>
    internal static bool IsCacheImport(string stepName) => WithoutTarget(stepName).StartsWith("importing cache manifest", StringComparison.Ordinal);

    /// <summary>"exporting cache to registry" (BuildKit runs it after the image was exported and pushed), also as "[api] exporting cache …".</summary>
    internal static bool IsCacheExport(string stepName) => WithoutTarget(stepName).StartsWith("exporting cache", StringComparison.Ordinal);

    private static string WithoutTarget(string stepName) =>
        stepName.StartsWith('[') && stepName.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? stepName[(end + 2)..] : stepName;

    private void ApplyVertex(JsonElement element, HashSet<string> changed)
    {
        if (!element.TryGetProperty("digest", out var digestElement) || digestElement.GetString() is not { } digest)
        {
            return;
        }

        if (!_vertices.TryGetValue(digest, out var vertex))
        {
            vertex = new VertexState(digest);
            _vertices[digest] = vertex;
        }

        if (element.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 } text)
        {
            vertex.Name = text;
            vertex.Platform ??= PlatformOf(text);
        }

        vertex.Started = Time(element, "started") ?? vertex.Started;
        vertex.Completed = Time(element, "completed") ?? vertex.Completed;
        vertex.Cached |= element.TryGetProperty("cached", out var cached) && cached.ValueKind == JsonValueKind.True;
        if (element.TryGetProperty("error", out var error) && error.GetString() is { Length: > 0 } message)
        {
            vertex.Error = message;
        }

        if (vertex.Platform is not null)
        {
            changed.Add(vertex.Platform);
        }
    }

    private void ApplyLog(JsonElement log)
    {
        if (!log.TryGetProperty("vertex", out var digest) || digest.GetString() is not { } key || !_vertices.TryGetValue(key, out var vertex))
        {
            return;
        }

        if (log.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.String && vertex.Log.Length < MaxLogCharsPerVertex)
        {
            vertex.Log.Append(Encoding.UTF8.GetString(data.GetBytesFromBase64()));
        }
    }

    private static PlatformProgress ToProgress(IGrouping<string, VertexState> steps)
    {
        var started = steps.Where(s => s.Started is not null).Select(s => s.Started!.Value).DefaultIfEmpty().Min();
        var completed = steps.Where(s => s.Completed is not null).Select(s => s.Completed!.Value).DefaultIfEmpty().Max();
        var current = steps.Where(s => s.Started is not null && s.Completed is null).Select(s => s.Name).LastOrDefault();
        var duration = started == default || completed < started ? TimeSpan.Zero : completed - started;
        return new PlatformProgress(steps.Key, steps.Count(s => s.Completed is not null), steps.Count(), current, steps.Any(s => s.Error is not null), duration);
    }

    private static DateTimeOffset? Time(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time) && time.Year > 1
            ? time
            : null;

    /// <summary>The platform in a Dockerfile step name: <c>[linux/arm64 2/3] RUN …</c> or <c>[linux/arm64 build 1/2] …</c>.</summary>
    internal static string? PlatformOf(string vertexName)
    {
        var match = StepPattern().Match(vertexName);
        return match.Success ? PlatformName.Normalize(match.Groups["platform"].Value) : null;
    }

    [GeneratedRegex(@"^\[(?<platform>[a-z0-9]+/[a-z0-9_]+(?:/v[0-9.]+)?)(?:[ \]])")]
    private static partial Regex StepPattern();
}
