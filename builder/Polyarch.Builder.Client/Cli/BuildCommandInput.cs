using Polyarch.Builder.Builds;

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
    OutputFormat Format)
{
    /// <summary>What is built, as the service's <c>POST /v1/builds</c> takes it.</summary>
    public BuildSubmission ToSubmission() => new(Source, Ref, Commit, Platforms, Registry, Repository);
}
