namespace Polyarch.Builder.Cli;

/// <summary>What <c>polyarch-builder build</c> was given.</summary>
internal sealed record BuildCommandInput(
    string Source,
    string? Ref,
    string? Commit,
    IReadOnlyList<string> Platforms,
    string? Registry,
    string? Repository,
    string? BuilderName,
    bool Json);
