using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Rules;

/// <summary>A rule: when a tag matching <see cref="Tag"/> in a repository matching <see cref="Repository"/> is pushed, run something.</summary>
public sealed record RuleDefinition
{
    /// <summary>The platforms value that runs every platform the pushed index has.</summary>
    public const string AllPlatforms = "all";

    /// <summary>The platforms value that runs the backend's native platforms only (and waits for them).</summary>
    public const string NativePlatforms = "native";

    public required string Name { get; init; }

    /// <summary>Repository glob, e.g. demo/echo, demo/* or 127.0.0.1:5000/demo/**. Without a registry host it matches any registry.</summary>
    public required string Repository { get; init; }

    /// <summary>Tag glob; default "*" (every tag).</summary>
    public string Tag { get; init; } = "*";

    /// <summary>The action to run; null runs the pushed image itself (pinned to the pushed digest).</summary>
    public string? Action { get; init; }

    /// <summary>Params given to every activation; the event's repository, tag, indexDigest and platforms are added.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>["all"], ["native"] or a list of platforms (each required: the rule waits until the index has them). Default ["all"].</summary>
    public IReadOnlyList<string> Platforms { get; init; } = [AllPlatforms];
}
