using System.Text.Json;

namespace Polyarch.Dashboard.Tests;

/// <summary>What `polyarch-builder build --output json` reported for one of the fixture's builds.</summary>
public sealed record BuildOutcome(string Repository, string Commit, int ExitCode, string Output, string Error)
{
    public string ShortCommit => Commit[..12];

    public override string ToString() => $"{Repository} {ShortCommit} exit {ExitCode}\n{Output}\n{Error}";

    /// <summary>The child digest the build reported for a platform (searched anywhere in its JSON report).</summary>
    public string? ChildDigest(string platform)
    {
        using var document = JsonDocument.Parse(Output.Length == 0 ? "{}" : Output);
        return Find(document.RootElement, platform);
    }

    private static string? Find(JsonElement element, string platform)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (element.TryGetProperty("platform", out var p) && p.GetString() == platform && element.TryGetProperty("digest", out var d))
                {
                    return d.GetString();
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (Find(property.Value, platform) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (Find(item, platform) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
