using Microsoft.Extensions.Options;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Builds;

/// <summary>Turns a <see cref="BuildSubmission"/> into a resolved <see cref="BuildRequest"/> — the same checks, in the same order, in the CLI and the service.</summary>
internal sealed class BuildRequestFactory(GitSource git, IOptions<BuilderOptions> options)
{
    public async Task<BuildRequest> CreateAsync(BuildSubmission submission, string trigger, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(submission.Source))
        {
            throw new InvalidBuildInputException("PATH_OR_URL is empty. Pass the path of a git repository or its URL, e.g. polyarch-builder build ./my-function.");
        }

        if (submission.Ref is not null && submission.Commit is not null)
        {
            throw new InvalidBuildInputException("Pass either --ref or --commit, not both.");
        }

        // Everything known before the fetch is checked first, all at once: nothing is fetched or stored for input that can never build.
        var registry = submission.Registry ?? options.Value.Registry;
        BuildRequestValidator.Throw(BuildRequestValidator.Problems(registry, submission.Repository, submission.Ref));

        var platforms = new List<string>();
        var requested = submission.Platforms is { Count: > 0 } given ? given : options.Value.EffectivePlatforms;
        foreach (var value in requested)
        {
            platforms.Add(PlatformName.Normalize(value)
                ?? throw new InvalidBuildInputException($"'{value}' is not a platform. Use os/arch[/variant], e.g. linux/arm64."));
        }

        var source = await git.ResolveAsync(submission.Source, submission.Ref, submission.Commit, cancellationToken);
        var repository = submission.Repository ?? RepositoryName.FromSource(SourceUrl.LastSegment(source.Url));
        if (submission.Repository is null && RegistryNames.RepositoryProblem(registry, repository) is { } problem)
        {
            throw new InvalidBuildInputException($"{problem} (derived from {InputText.Printable(source.Url)}; pass --repository).");
        }

        return new BuildRequest(
            source.Url, registry, repository, source.Commit, source.Branch, source.IsDefaultBranch,
            [.. platforms.Distinct(StringComparer.Ordinal)], trigger);
    }
}
