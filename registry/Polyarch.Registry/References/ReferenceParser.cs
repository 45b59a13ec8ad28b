using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Polyarch.Registry.References;

/// <summary>
/// The distribution reference grammar (github.com/distribution/reference, regexp.go), with one error per
/// kind of mistake so that users learn what to fix.
/// </summary>
internal static partial class ReferenceParser
{
    // distribution/reference: NameTotalLengthMax.
    public const int MaxNameLength = 255;

    public static bool TryParse(string? value, [NotNullWhen(true)] out ImageReference? reference, [NotNullWhen(false)] out string? error)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return Fail("the reference is empty", out error);
        }

        if (value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return Fail("it contains whitespace or control characters", out error);
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Digest.TryParse(rest[(at + 1)..], out digest, out var digestError))
            {
                return Fail(digestError, out error);
            }

            rest = rest[..at];
        }

        string? tag = null;
        var colon = rest.LastIndexOf(':');
        if (colon > rest.LastIndexOf('/'))
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!IsValidTag(tag, out var tagError))
            {
                return Fail(tagError, out error);
            }
        }

        if (rest.Length > MaxNameLength)
        {
            return Fail($"the name is {rest.Length} characters long, at most {MaxNameLength} are allowed", out error);
        }

        if (!SplitRegistry(rest, out var registry, out var repository, out error))
        {
            return false;
        }

        if (!IsValidRepository(repository, out error))
        {
            return false;
        }

        reference = new ImageReference(registry, repository, tag ?? (digest is null ? ImageReference.DefaultTag : null), digest);
        return true;
    }

    public static bool IsValidTag(string tag, [NotNullWhen(false)] out string? error)
    {
        if (TagPattern().IsMatch(tag))
        {
            error = null;
            return true;
        }

        error = tag.Length > 128
            ? $"the tag is {tag.Length} characters long, at most 128 are allowed"
            : $"the tag '{InvalidReferenceException.Printable(tag)}' must start with a letter, digit or '_' and hold only letters, digits, '_', '.' and '-'";
        return false;
    }

    private static bool SplitRegistry(string name, out string registry, out string repository, [NotNullWhen(false)] out string? error)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : name[..slash];
        // A first component is a registry host when it looks like one (distribution's splitDockerDomain).
        if (slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
            || first == "localhost" || first.Any(char.IsUpper)))
        {
            registry = first == "index.docker.io" ? ImageReference.DockerHub : first;
            repository = name[(slash + 1)..];
            if (!DomainPattern().IsMatch(first))
            {
                return Fail($"the registry '{InvalidReferenceException.Printable(first)}' is not a host name or address with an optional :port", out error);
            }
        }
        else
        {
            registry = ImageReference.DockerHub;
            repository = name;
        }

        if (registry == ImageReference.DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        error = null;
        return true;
    }

    private static bool IsValidRepository(string repository, [NotNullWhen(false)] out string? error)
    {
        foreach (var component in repository.Split('/'))
        {
            if (component.Length == 0)
            {
                return Fail("the repository path has an empty component ('//' or a leading or trailing '/')", out error);
            }

            if (component.Any(char.IsUpper))
            {
                return Fail($"repository names must be lower case ('{InvalidReferenceException.Printable(component)}')", out error);
            }

            if (!PathComponentPattern().IsMatch(component))
            {
                return Fail(
                    $"the path component '{InvalidReferenceException.Printable(component)}' must be lower-case letters and digits, " +
                    "separated by single '.', '_', '__' or runs of '-', and start and end with a letter or digit",
                    out error);
            }
        }

        error = null;
        return true;
    }

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(
        @"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]{1,5})?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}
