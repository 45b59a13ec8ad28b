using Polyarch.Builder.Errors;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// Registry addresses and repository names as the registry library's <see cref="ImageReference"/> parses them
/// (the distribution reference grammar: lower-case path components, at most 255 characters with the registry).
/// </summary>
internal static class RegistryNames
{
    /// <summary>Why <paramref name="registry"/> is not a registry host[:port], or null when it is one.</summary>
    public static string? RegistryProblem(string? registry)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            return "The registry is empty. Pass a registry address such as 127.0.0.1:5000 (--registry or Builder:Registry).";
        }

        var printable = InputText.Printable(registry);
        if (registry.Contains('/', StringComparison.Ordinal) || registry.Contains('@', StringComparison.Ordinal))
        {
            return $"The registry '{printable}' is not a host[:port]: it contains '{(registry.Contains('/', StringComparison.Ordinal) ? '/' : '@')}'. " +
                "Pass only the registry's address, e.g. 127.0.0.1:5000, and the repository with --repository.";
        }

        if (!ImageReference.TryParse($"{registry}/polyarch/probe", out var parsed, out var error))
        {
            return $"The registry '{printable}' is not a host[:port]: {error}. Pass a registry address such as 127.0.0.1:5000.";
        }

        return string.Equals(parsed.Registry, registry, StringComparison.Ordinal)
            ? null
            : $"The registry '{printable}' is not a host[:port]: a registry name needs a '.', a ':port' or to be localhost. Pass e.g. 127.0.0.1:5000 or {printable}.lan:5000.";
    }

    /// <summary>Why <paramref name="repository"/> cannot be pushed to <paramref name="registry"/>, or null when it can.</summary>
    public static string? RepositoryProblem(string registry, string? repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            return "The repository name is empty. Pass one with --repository, e.g. demo/echo.";
        }

        var printable = InputText.Printable(repository);
        if (!ImageReference.TryParse($"{registry}/{repository}", out var parsed, out var error))
        {
            return $"The repository '{printable}' cannot be pushed to {registry}: {error}. " +
                "Use lower-case path components (letters, digits, single '.', '_' or '-' inside) separated by '/', at most 255 characters with the registry, e.g. demo/echo.";
        }

        // "a..b" never reaches here; a repository that the parser would read as another registry ("x.y/z") does.
        return parsed.Registry == registry && parsed.Repository == repository
            ? null
            : $"The repository '{printable}' cannot be pushed to {registry}: it reads as '{parsed.RepositoryName}'. Use lower-case path components separated by '/', e.g. demo/echo.";
    }
}
