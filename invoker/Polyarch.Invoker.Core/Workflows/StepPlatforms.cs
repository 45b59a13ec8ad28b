using System.Text.Json.Nodes;
using Polyarch.Invoker.Platforms;

namespace Polyarch.Invoker.Workflows;

/// <summary>Where a step runs: the placement's pick (<see cref="Placed"/>), every platform of the image (<see cref="All"/>), a native one, or the listed ones.</summary>
internal sealed record StepPlatforms(string Kind, IReadOnlyList<string> Listed)
{
    public const string Placed = "placed";
    public const string All = "all";
    public const string Native = "native";
    public const string List = "list";

    /// <summary>True when the step runs once (its result is a value, not an object keyed by platform).</summary>
    public bool IsSingle => Kind is Placed or Native || (Kind == List && !Plural);

    /// <summary>True when written as a list (even of one): the result is keyed by platform.</summary>
    public bool Plural { get; init; }

    /// <summary>Reads a step's <c>platforms</c>; the error names the value and the accepted forms.</summary>
    public static StepPlatforms Parse(JsonNode? node, out string? error)
    {
        error = null;
        switch (node)
        {
            case null:
                return new StepPlatforms(Placed, []);
            case JsonValue v when v.TryGetValue<string>(out var text) && text is All or Native:
                return new StepPlatforms(text, []);
            case JsonValue v when v.TryGetValue<string>(out var text):
                return FromList([text], plural: false, out error);
            case JsonArray a when a.Count > 0 && a.All(n => n is JsonValue x && x.TryGetValue<string>(out _)):
                return FromList([.. a.Select(n => n!.GetValue<string>())], plural: true, out error);
            default:
                error = $"platforms {node.ToJsonString()} is not a platform (linux/amd64), all, native or a non-empty list of platforms";
                return new StepPlatforms(Placed, []);
        }
    }

    private static StepPlatforms FromList(IReadOnlyList<string> platforms, bool plural, out string? error)
    {
        error = null;
        var normalized = new List<string>();
        foreach (var platform in platforms)
        {
            if (PlatformName.TryNormalize(platform, out var n, out var why))
            {
                normalized.Add(n);
            }
            else
            {
                error = $"platform '{platform}' is not a platform the OCI spec knows ({why}); write os/architecture[/variant] such as linux/arm64, or all, or native";
            }
        }

        return new StepPlatforms(List, normalized.Distinct(StringComparer.Ordinal).ToList()) { Plural = plural };
    }
}
