using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Cli;

/// <summary>Prints per-platform progress to stderr whenever a platform's step changes.</summary>
internal sealed class ConsoleProgress(TextWriter output)
{
    private readonly Dictionary<string, string> _last = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void Report(PlatformProgress progress)
    {
        var line = progress.Failed
            ? $"[{progress.Platform}] FAILED at {progress.Current ?? "a step"}"
            : $"[{progress.Platform}] {progress.Done}/{progress.Total} {(progress.Current is null ? "done" : Shorten(progress.Current))}";
        lock (_gate)
        {
            if (_last.TryGetValue(progress.Platform, out var previous) && previous == line)
            {
                return;
            }

            _last[progress.Platform] = line;
            output.WriteLine(line);
        }
    }

    private static string Shorten(string step)
    {
        // "[linux/arm64 2/3] RUN make" → "RUN make": the platform is already in front.
        var end = step.IndexOf("] ", StringComparison.Ordinal);
        var text = end >= 0 ? step[(end + 2)..] : step;
        return text.Length > 100 ? text[..100] + "…" : text;
    }
}
