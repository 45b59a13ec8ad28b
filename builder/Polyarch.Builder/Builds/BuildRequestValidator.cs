using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Publishing;

namespace Polyarch.Builder.Builds;

/// <summary>
/// Refuses requests that can never build (a registry that is no host, a repository the registry would refuse,
/// a branch git would refuse) before anything is stored; reports every problem at once.
/// </summary>
internal static class BuildRequestValidator
{
    /// <summary>Every problem of the request; empty when it can be stored.</summary>
    public static IReadOnlyList<string> Problems(string? registry, string? repository, string? gitRef)
    {
        var problems = new List<string>();
        var registryProblem = RegistryNames.RegistryProblem(registry);
        if (registryProblem is not null)
        {
            problems.Add(registryProblem);
        }
        else if (repository is not null && RegistryNames.RepositoryProblem(registry!, repository) is { } repositoryProblem)
        {
            problems.Add(repositoryProblem);
        }

        if (gitRef is not null && GitRefName.Problem(gitRef) is { } refProblem)
        {
            problems.Add($"'{InputText.Printable(gitRef)}' is not a valid git ref name: {refProblem}. Name an existing branch or tag (git check-ref-format accepts it).");
        }

        return problems;
    }

    /// <summary>Throws <see cref="InvalidBuildInputException"/> listing every problem of <paramref name="request"/>.</summary>
    public static void EnsureValid(BuildRequest request) =>
        Throw(Problems(request.Registry, request.Repository, request.Branch));

    /// <summary>Throws <see cref="InvalidBuildInputException"/> when <paramref name="problems"/> is not empty.</summary>
    public static void Throw(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new InvalidBuildInputException(string.Join(" ", problems));
        }
    }
}
